// What the core needs from outside, as interfaces: a chat channel, a clock, a logger.
// Channels (bot/channels/<name>) implement Channel; the runtime wires them in.

/** The bot's time: what it is now, and how to wait. Injected everywhere; nothing reads Date.now(). */
export type Clock = {
  now(): Date;
  /** milliseconds on a clock that only goes forward (pacing, timeouts): a wall clock can be stepped */
  monotonic(): number;
  sleep(ms: number): Promise<void>;
};

/** The few log calls the bot makes; a pino logger fits. */
export type Logger = {
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
};

/** A group chat, or a private chat with one contact (whose id is the contact's). */
export type ConversationKind = 'room' | 'contact';

/** One incoming chat message, as every channel hands it to the core. Identity is (channel, sender.id). */
export type InboundMessage = {
  channel: string;
  /** the channel's id of the message */
  id: string;
  conversation: { kind: ConversationKind; id: string; title?: string };
  sender: {
    id: string;
    /** for display only: anyone can change their own name */
    name: string;
    /** the bot account's own remark (备注) for the sender, where the channel has one */
    remark?: string;
  };
  text: string;
  /** the bot was @mentioned (a private chat counts as addressed anyway) */
  mentionsBot: boolean;
  /** the text of a quoted message, kept apart from what the sender wrote */
  quoted?: string;
  /**
   * a file sent (a plan document): the channel saved it under the folder it was given, readable
   * by the bot's user only; `name` is the sender's file name, for display
   */
  file?: { name: string; path: string };
  /** what the channel needs to answer this very message (WeCom's req_id, DingTalk's session webhook) */
  replyToken?: string;
};

/** One outgoing message: text parts with @mentions (contact ids) between them, or a file. */
export type Envelope = {
  conversation: { kind: ConversationKind; id: string };
  parts: string[];
  mentions: string[];
  /** a file to send instead of text (a path on this machine) */
  filePath?: string | null;
  /** answers the message this token came with, where the channel replies that way */
  replyToken?: string | null;
};

/** What a channel can do; the core adapts its texts to this, never to the channel's name. */
export type Capabilities = {
  /** every group message reaches the bot; false: only those that @mention it */
  hearsAllGroupMessages: boolean;
  /** can @mention a contact by id inside a message */
  mentionsById: boolean;
  /** can send a file */
  files: boolean;
  /** can start a private chat with a contact */
  privateMessages: boolean;
  /** the channel's own limit: at most this many messages a minute */
  perMinute: number;
};

/** What a channel tells the runtime. */
export type ChannelEvents = {
  message(m: InboundMessage): Promise<void>;
  /** connected (logged in): what waited may go */
  connected(): Promise<void>;
  /** connection lost; the channel reconnects by itself */
  disconnected(reason: string): void;
};

/** A channel cannot start at all (a missing module, a refused setting); the message is one sentence. */
export class ChannelUnavailable extends Error {}

/** The channel is not connected now: the message waits for it, and the wait is no failed attempt. */
export class ChannelDown extends Error {}

/** A channel cannot send this file; the runtime says so in words instead. */
export class FileNotSent extends Error {}

/** A chat channel: one folder under bot/channels/ implements it. */
export interface Channel {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** connected now (logged in, socket open and authenticated) */
  readonly connected: boolean;
  start(events: ChannelEvents): Promise<void>;
  stop(): Promise<void>;
  /** hands one message over; throws when it could not (disconnected, refused) */
  send(envelope: Envelope): Promise<void>;
}
