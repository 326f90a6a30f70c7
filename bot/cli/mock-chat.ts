import type { FileBox } from 'file-box';
import { types } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { WechatyChannel } from '../channels/wechaty/index.js';
import type { Logger } from '../core/ports.js';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

/** One message of the conversation, as the other side of the chat saw it. */
export type ChatLine = {
  messageId: string;
  /** when it was said, by the clock the chat was given */
  at: Date;
  /** the room topic, or null in a private chat */
  room: string | null;
  /** who spoke: a member's name, or 'bot' */
  who: string;
  /** the other party of a private chat */
  to: string | null;
  text: string;
  /** the name of a file sent instead of text */
  file: string | null;
};

/** Something that says when it has dealt with a message (the Wechaty channel's 'handled' event). */
export type Handles = { on(event: 'handled', fn: (id: string) => void): unknown; off(event: 'handled', fn: (id: string) => void): unknown };

/**
 * A WeChat of mock contacts and rooms around a real Wechaty on wechaty-puppet-mock: members
 * `say(...).to(room)` as real users would, and every message, theirs and the bot's, is recorded.
 */
export class MockChat {
  readonly mocker = new mock.Mocker();
  private current = new PuppetMock({ mocker: this.mocker });
  readonly lines: ChatLine[] = [];
  readonly botUser: ContactMock;
  private readonly members = new Map<string, ContactMock>();
  private readonly rooms = new Map<string, RoomMock>();
  private relogins = 0;

  constructor(
    private readonly now: () => Date,
    readonly botName = '政务公开助手',
  ) {
    this.botUser = this.mocker.createContact({ name: botName });
    this.listen();
  }

  /** The puppet the bot runs on. */
  get puppet(): PuppetMock {
    return this.current;
  }

  private listen(): void {
    this.current.on('message', ({ messageId }) => this.record(messageId));
  }

  /** The Wechaty channel on this chat's current puppet, serving these groups (keeping files sent to it in filesDir). */
  channel(rooms: string[], log: Logger, filesDir?: string): WechatyChannel {
    return new WechatyChannel({ botName: this.botName, puppet: this.current, rooms, log, filesDir });
  }

  /**
   * A fresh puppet on the same mock WeChat, for a bot process that restarts (a Wechaty
   * cannot take a used puppet). The same contacts and groups stay.
   */
  newPuppet(): PuppetMock {
    // the mocker refuses a second puppet; a restarted process is a new one
    (this.mocker as unknown as { _puppet?: unknown })._puppet = undefined;
    this.current = new PuppetMock({ mocker: this.mocker });
    this.listen();
    return this.current;
  }

  private nameOf(id: string): string {
    if (id === this.botUser.id) return 'bot';
    for (const [name, c] of this.members) if (c.id === id) return name;
    return id;
  }

  private record(messageId: string): void {
    const p = this.mocker.messagePayload(messageId) as { talkerId?: string; roomId?: string; listenerId?: string; text?: string };
    const room = p.roomId ? ([...this.rooms].find(([, r]) => r.id === p.roomId)?.[0] ?? p.roomId) : null;
    const who = this.nameOf(p.talkerId ?? '');
    const file = (this.mocker.cacheFileBoxPayload.get(messageId) as { name?: string } | undefined)?.name ?? null;
    const text = file ? `[文件] ${file}` : (p.text ?? '').replace(/\u2005/g, ' ');
    this.lines.push({ messageId, at: this.now(), room, who, to: p.listenerId ? this.nameOf(p.listenerId) : null, text, file });
  }

  login(): void {
    this.mocker.login(this.botUser);
  }

  /** The group with this topic, created with the bot in it on first use. */
  room(topic: string): RoomMock {
    let room = this.rooms.get(topic);
    if (!room) {
      room = this.mocker.createRoom({ topic, memberIdList: [this.botUser.id] });
      this.rooms.set(topic, room);
    }
    return room;
  }

  /**
   * The member with this display name, created on first use. `remark` is the bot account's own
   * remark (备注) for the contact, which is how coordinators are recognised; `id` fixes the
   * contact id (the same person across bot processes).
   */
  member(name: string, remark?: string, id?: string): ContactMock {
    let c = this.members.get(name);
    if (!c) {
      c = this.mocker.createContact({ name, ...(remark ? { alias: remark } : {}), ...(id ? { id } : {}) });
      this.members.set(name, c);
    }
    return c;
  }

  join(name: string, topic: string): void {
    const ids = (this.mocker.roomPayload(this.room(topic).id) as { memberIdList: string[] }).memberIdList;
    const id = this.member(name).id;
    if (!ids.includes(id)) ids.push(id);
  }

  /** The bot account's remark (备注) for a member: how coordinators are recognised. */
  setRemark(name: string, remark: string): void {
    this.member(name).payload.alias = remark;
  }

  /**
   * Every member gets a new contact id, as the web protocol does after a re-login: the same
   * names (and the bot's remarks) on new contacts, in the same groups.
   */
  renewIds(): void {
    const renamed = new Map<string, string>();
    this.relogins++;
    for (const [name, old] of this.members) {
      const fresh = this.mocker.createContact({ ...old.payload, id: `${old.id}~${this.relogins}` });
      renamed.set(old.id, fresh.id);
      this.members.set(name, fresh);
    }
    for (const room of this.rooms.values()) {
      const payload = this.mocker.roomPayload(room.id) as { memberIdList: string[] };
      payload.memberIdList = payload.memberIdList.map((id) => renamed.get(id) ?? id);
    }
  }

  /** A member changes their display name (nickname); their contact id stays. */
  rename(name: string, newName: string): void {
    const c = this.member(name);
    c.payload.name = newName;
    this.members.delete(name);
    this.members.set(newName, c);
  }

  /**
   * `name` says `text` (or sends a file) in the group `topic` (or to the bot privately when topic
   * is null) and resolves, once the bot has dealt with it, to what the bot said meanwhile.
   */
  async say(bot: Handles, name: string, text: string | FileBox, topic: string | null, mentionBot = false): Promise<ChatLine[]> {
    const speaker = this.member(name);
    if (topic) this.join(name, topic);
    const before = this.lines.length;
    if (!this.current.isLoggedIn) {
      // a logged-out account receives nothing: the message is said, the bot never sees it
      speaker.say(text, mentionBot ? [this.botUser] : []).to(topic ? this.room(topic) : this.botUser);
      return [];
    }
    let messageId: string | undefined;
    const done = new Promise<void>((resolve) => {
      const onHandled = (id: string) => {
        if (id !== messageId) return;
        bot.off('handled', onHandled);
        resolve();
      };
      bot.on('handled', onHandled);
    });
    // the mock emits the message synchronously; the bot handles it asynchronously, after this
    speaker.say(text, mentionBot ? [this.botUser] : []).to(topic ? this.room(topic) : this.botUser);
    messageId = this.lines[before]!.messageId;
    // the mock calls only .txt, .doc and .pdf attachments; WeChat calls every document one
    if (typeof text !== 'string') (this.mocker.messagePayload(messageId) as { type: number }).type = types.Message.Attachment;
    await done;
    return this.lines.slice(before + 1).filter((l) => l.who === 'bot');
  }
}
