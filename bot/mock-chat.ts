import { PuppetMock, mock } from 'wechaty-puppet-mock';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

/** One message of the conversation, as the other side of the chat saw it. */
export type ChatLine = {
  messageId: string;
  /** the room topic, or null in a private chat */
  room: string | null;
  /** who spoke: a member's name, or 'bot' */
  who: string;
  /** the other party of a private chat */
  to: string | null;
  text: string;
};

/** Something that says when it has dealt with a message (the LiaisonBot's 'handled' event). */
export type Handles = { on(event: 'handled', fn: (id: string) => void): unknown; off(event: 'handled', fn: (id: string) => void): unknown };

/**
 * A WeChat of mock contacts and rooms around a real Wechaty on wechaty-puppet-mock: members
 * `say(...).to(room)` as real users would, and every message, theirs and the bot's, is recorded.
 */
export class MockChat {
  readonly mocker = new mock.Mocker();
  readonly puppet = new PuppetMock({ mocker: this.mocker });
  readonly lines: ChatLine[] = [];
  readonly botUser: ContactMock;
  private readonly members = new Map<string, ContactMock>();
  private readonly rooms = new Map<string, RoomMock>();

  constructor(botName = '政务公开助手') {
    this.botUser = this.mocker.createContact({ name: botName });
    this.puppet.on('message', ({ messageId }) => this.record(messageId));
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
    this.lines.push({ messageId, room, who, to: p.listenerId ? this.nameOf(p.listenerId) : null, text: (p.text ?? '').replace(/\u2005/g, ' ') });
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
   * remark (备注) for the contact, which is how coordinators are recognised.
   */
  member(name: string, remark?: string): ContactMock {
    let c = this.members.get(name);
    if (!c) {
      c = this.mocker.createContact({ name, ...(remark ? { alias: remark } : {}) });
      this.members.set(name, c);
    }
    return c;
  }

  join(name: string, topic: string): void {
    const ids = (this.mocker.roomPayload(this.room(topic).id) as { memberIdList: string[] }).memberIdList;
    const id = this.member(name).id;
    if (!ids.includes(id)) ids.push(id);
  }

  /** A member changes their display name (nickname); their contact id stays. */
  rename(name: string, newName: string): void {
    const c = this.member(name);
    c.payload.name = newName;
    this.members.delete(name);
    this.members.set(newName, c);
  }

  /**
   * `name` says `text` in the group `topic` (or to the bot privately when topic is null) and
   * resolves, once the bot has dealt with it, to what the bot said meanwhile.
   */
  async say(bot: Handles, name: string, text: string, topic: string | null, mentionBot = false): Promise<ChatLine[]> {
    const speaker = this.member(name);
    if (topic) this.join(name, topic);
    const before = this.lines.length;
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
    await done;
    return this.lines.slice(before + 1).filter((l) => l.who === 'bot');
  }
}
