import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FileBox } from 'file-box';
import qrTerminal from 'qrcode-terminal';
import { ScanStatus, WechatyBuilder, types, type Contact, type Message, type Room, type Wechaty, type WechatyOptions } from 'wechaty';
import { checkpoint, type Ledger } from '../db/open.js';
import { enqueue, type OutboxRow } from '../db/outbox.js';
import { currentPlan } from '../db/queries.js';
import { claimRound, recordReminders, type OutgoingWithKeys } from '../db/reminders.js';
import type { UnitResolver } from '../seeds/units.js';
import type { WorkCalendar } from '../schedules/calendar.js';
import { fromShanghai, shanghaiDate } from '../schedules/clock.js';
import type { Ladder } from '../schedules/ladder.js';
import type { Clock } from './clock.js';
import type { Reply } from './commands/context.js';
import type { Config } from './config.js';
import { answerMessage, type HandlerDeps } from './handle.js';
import { Outbox } from './outbox.js';
import { exportText, mentionFirst } from './messages.js';
import { planRound, roundMessages, type Placement } from './rounds.js';
import { splitMessage } from './split.js';

/** The few log calls the bot makes; a pino logger fits. */
export type Logger = {
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
};

export type BotDeps = {
  db: Ledger;
  calendar: WorkCalendar;
  resolver: UnitResolver;
  config: Config;
  clock: Clock;
  log: Logger;
  /** a ready puppet (tests and the simulator use wechaty-puppet-mock); else config.puppet by name */
  puppet?: Exclude<WechatyOptions['puppet'], string>;
  /** for the pacing jitter */
  random?: () => number;
};

/** A round that runs more than this after its time (after downtime) is marked as late. */
const LATE_AFTER_MS = 30 * 60_000;

/** Where a reply goes: the group it was asked in, or the private chat. */
type Target = Pick<OutgoingWithKeys, 'target' | 'targetKind'>;

/**
 * The bot in the chat: the only part that knows Wechaty. Emits 'handled' with the message id
 * once a message was dealt with (answered and the answer sent, or ignored), so tests await it
 * instead of sleeping.
 */
export class LiaisonBot extends EventEmitter {
  readonly wechaty: Wechaty;
  readonly outbox: Outbox;
  private readonly handlerDeps: HandlerDeps;
  private readonly ladder: Ladder;

  constructor(private readonly deps: BotDeps) {
    super();
    const { config } = deps;
    const { time: _time, ...ladder } = config.reminders;
    this.ladder = ladder;
    this.handlerDeps = { db: deps.db, calendar: deps.calendar, ladder, resolver: deps.resolver, now: () => deps.clock.now(), exportDir: config.exportDir };
    this.outbox = new Outbox(deps.db, deps.clock, config.outbox, (m) => this.deliver(m), deps.log, deps.random);
    this.wechaty = WechatyBuilder.build({
      name: config.botName,
      puppet: deps.puppet ?? (config.puppet as WechatyOptions['puppet']),
      ...(config.puppetToken && !deps.puppet ? { puppetOptions: { token: config.puppetToken } } : {}),
    });
    this.wechaty.on('scan', (qrcode, status) => this.onScan(qrcode, status));
    this.wechaty.on('login', (user) => this.onLogin(user));
    this.wechaty.on('logout', (user) => this.onLogout(user));
    this.wechaty.on('message', (message) => this.onMessage(message));
    this.wechaty.on('error', (err) => deps.log.error({ err }, 'wechaty error'));
  }

  async start(): Promise<void> {
    this.outbox.recover();
    await this.wechaty.start();
  }

  stop(): Promise<void> {
    return this.wechaty.stop();
  }

  private onScan(qrcode: string, status: ScanStatus): void {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return;
    this.deps.log.info({ status }, 'scan the QR code with the WeChat account the bot runs as');
    qrTerminal.generate(qrcode, { small: true });
  }

  private async onLogin(user: Contact): Promise<void> {
    this.deps.log.info({ user: user.name() }, 'logged in');
    await this.outbox.loggedIn();
    // a round missed while logged out or down goes now (today's only)
    await this.tick();
    this.emit('ready');
  }

  private onLogout(user: Contact): void {
    this.deps.log.warn({ user: user.name() }, 'logged out; messages wait in the outbox');
  }

  /**
   * The scheduler's tick (node-cron calls it every minute; the simulator at each round time):
   * on a working day, once the round time has passed and today's round has not run, run it.
   * Rounds missed while the bot was down or logged out are not replayed: only today's,
   * marked late when it runs well after its time.
   */
  async tick(): Promise<void> {
    checkpoint(this.deps.db);
    // logged out: nothing can be placed or sent; the round waits for the login
    if (!this.wechaty.isLoggedIn) return;
    const now = this.deps.clock.now();
    const today = shanghaiDate(now);
    const at = fromShanghai(`${today} ${this.deps.config.reminders.time}`)!;
    if (this.deps.calendar.isWorkday(today) && now >= at) {
      // the claim is the check: only the first tick (of any process) of the day gets the round
      const late = now.getTime() - at.getTime() > LATE_AFTER_MS;
      if (claimRound(this.deps.db, today, now.toISOString(), late)) await this.runRound(late);
    }
    await this.outbox.drain();
  }

  /** Plans today's round from the ledger, records its keys with its messages, and sends them. */
  async runRound(late: boolean): Promise<void> {
    const plan = currentPlan(this.deps.db);
    const round = plan && planRound(this.deps.db, plan, this.deps.calendar, this.ladder, this.deps.clock.now());
    if (!round) return;
    const messages = await roundMessages(round, this.placement(), late, this.deps.config.outbox.maxLength);
    recordReminders(this.deps.db, round.intents, messages, this.deps.clock.now().toISOString());
    this.deps.log.info({ day: round.today, messages: messages.length, reminders: round.intents.length, late }, 'reminder round');
    await this.outbox.drain();
  }

  /** A contact is a coordinator by id, or by the bot account's own remark for it. */
  async isCoordinator(contact: Contact): Promise<boolean> {
    const remark = await contact.alias().catch(() => undefined);
    return this.deps.config.coordinators.some((c) => c.contactId === contact.id || (remark && c.name === remark));
  }

  private async servedRooms(): Promise<Room[]> {
    const rooms: Room[] = [];
    for (const topic of this.deps.config.rooms) {
      const room = await this.wechaty.Room.find({ topic });
      if (room) rooms.push(room);
    }
    return rooms;
  }

  private async coordinatorsIn(room: Room): Promise<string[]> {
    const ids: string[] = [];
    for (const m of await room.memberAll()) if (await this.isCoordinator(m)) ids.push(m.id);
    return ids;
  }

  /** Where round messages go: each liaison's first served group, and the coordinators' group. */
  private placement(): Placement {
    return {
      groupOf: async (contactIds) => {
        const out = new Map<string, string | null>(contactIds.map((id) => [id, null]));
        for (const room of await this.servedRooms()) {
          const members = new Set((await room.memberAll()).map((m) => m.id));
          const topic = await room.topic();
          for (const id of contactIds) if (out.get(id) === null && members.has(id)) out.set(id, topic);
        }
        return out;
      },
      coordinatorRoom: () => this.coordinatorRoom(undefined),
    };
  }

  /** The group to tell coordinators in: the one a request came from, else the first with one. */
  private async coordinatorRoom(from: Room | undefined): Promise<{ topic: string; contactIds: string[] } | null> {
    for (const room of from ? [from] : await this.servedRooms()) {
      const contactIds = await this.coordinatorsIn(room);
      if (contactIds.length) return { topic: await room.topic(), contactIds };
    }
    this.deps.log.warn({}, 'no coordinator found in any served group');
    return null;
  }

  private async onMessage(message: Message): Promise<void> {
    try {
      await this.answer(message);
    } catch (err) {
      this.deps.log.error({ err, messageId: message.id }, 'message handling failed');
    } finally {
      this.emit('handled', message.id);
    }
  }

  private async answer(message: Message): Promise<void> {
    if (message.self() || message.type() !== types.Message.Text) return;
    const room = message.room();
    const topic = room ? await room.topic() : null;
    if (topic !== null && !this.deps.config.rooms.includes(topic)) return;
    const talker = message.talker();
    const addressed = !room || (await message.mentionSelf());
    const target: Target = topic !== null ? { target: topic, targetKind: 'room' } : { target: talker.id, targetKind: 'contact' };
    const now = this.deps.clock.now().toISOString();
    const reply = await answerMessage(
      { text: message.text(), addressed, actor: { contactId: talker.id, name: talker.name() }, isCoordinator: await this.isCoordinator(talker) },
      this.handlerDeps,
      (r) => this.queueReply(r, target, talker.id, now),
    );
    if (!reply) return;
    this.deps.log.info({ messageId: message.id }, 'answered');
    if (reply.toCoordinators) {
      const coordinators = await this.coordinatorRoom(room);
      if (coordinators) enqueue(this.deps.db, [{ target: coordinators.topic, targetKind: 'room', ...mentionFirst(coordinators.contactIds, reply.toCoordinators) }], now);
    }
    await this.outbox.drain();
    if (reply.runRound) await this.runRound(false);
  }

  /** Queues a reply, in the transaction of the command's own writes (see answerMessage). */
  private queueReply(reply: Reply, target: Target, talkerId: string, now: string): void {
    const messages: OutgoingWithKeys[] = splitMessage(reply.text, this.deps.config.outbox.maxLength).map((part) => ({
      ...target,
      ...mentionFirst(target.targetKind === 'room' ? [talkerId] : [], part),
      keys: (reply.reminders ?? []).map((r) => r.key),
    }));
    if (reply.file) messages.push({ ...target, parts: [''], mentions: [], filePath: reply.file, keys: [] });
    if (reply.reminders?.length) recordReminders(this.deps.db, reply.reminders, messages, now);
    else enqueue(this.deps.db, messages, now);
  }

  /** Hands one outbox message to WeChat; throws when it cannot (logged out, gone). */
  private async deliver(m: OutboxRow): Promise<void> {
    if (!this.wechaty.isLoggedIn) throw new Error('not logged in');
    if (m.targetKind === 'room') {
      const room = await this.wechaty.Room.find({ topic: m.target });
      if (!room) throw new Error(`no group named ${m.target}`);
      if (m.filePath) return this.sendFile(room, m.filePath);
      const contacts: Contact[] = [];
      for (const id of m.mentions) {
        const c = await this.wechaty.Contact.find({ id });
        if (c) contacts.push(c);
      }
      if (contacts.length !== m.mentions.length) return void (await room.say(m.parts.join('')));
      await room.say(Object.assign([...m.parts], { raw: m.parts }) as unknown as TemplateStringsArray, ...contacts);
      return;
    }
    const contact = await this.wechaty.Contact.find({ id: m.target });
    if (!contact) throw new Error(`no contact ${m.target}`);
    if (m.filePath) return this.sendFile(contact, m.filePath);
    await contact.say(m.parts.join(''));
  }

  /** Sends a file; when this puppet cannot, says where the file was written instead. */
  private async sendFile(to: Room | Contact, path: string): Promise<void> {
    try {
      // base64 rather than a file path: every puppet can carry it (the mock needs it serialisable)
      await to.say(FileBox.fromBase64(readFileSync(path).toString('base64'), basename(path)));
    } catch (err) {
      if (!this.wechaty.isLoggedIn) throw err;
      this.deps.log.warn({ err, path }, 'the puppet could not send the file');
      await to.say(exportText.cannotSendFile(path));
    }
  }
}
