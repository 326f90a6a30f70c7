import type { Capabilities, Channel, ChannelEvents, Envelope, InboundMessage } from '../../bot/core/ports.js';

/**
 * An in-process channel for tests about the bot itself (faults, floods, queues), where the
 * protocol does not matter: what the bot sends is kept, and it can be made to fail.
 */
export class FakeChannel implements Channel {
  readonly name = 'fake';
  readonly capabilities: Capabilities = { hearsAllGroupMessages: true, mentionsById: true, files: true, privateMessages: true, perMinute: 6000 };
  connected = false;
  /** every send fails while set */
  failing = false;
  readonly sent: Envelope[] = [];
  private events: ChannelEvents | null = null;
  private nextId = 1;

  async start(events: ChannelEvents): Promise<void> {
    this.events = events;
    this.connected = true;
    await events.connected();
  }

  async stop(): Promise<void> {
    this.connected = false;
  }

  async send(envelope: Envelope): Promise<void> {
    if (this.failing || !this.connected) throw new Error('the channel is down');
    this.sent.push(envelope);
  }

  /** Someone writes; resolves once the bot has dealt with it. */
  say(sender: { id: string; name: string }, text: string, group: string | null = 'g1', id = `m${this.nextId++}`): Promise<void> {
    const m: InboundMessage = {
      channel: this.name,
      id,
      conversation: group ? { kind: 'room', id: group } : { kind: 'contact', id: sender.id },
      sender,
      text,
      mentionsBot: false,
    };
    return this.events!.message(m);
  }

  /** The texts sent so far, mentions written as @id. */
  texts(): string[] {
    return this.sent.map((e) => e.parts.map((p, i) => (i < e.mentions.length ? `${p}@${e.mentions[i]}` : p)).join(''));
  }
}
