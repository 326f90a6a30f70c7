import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import { coordinatorGroup, groupsOf } from '../../db/conversations.js';
import type { Ledger } from '../../db/open.js';
import type { OutboxRow } from '../../db/outbox.js';
import type { UnitResolver } from '../../seeds/units.js';
import type { WorkCalendar } from '../../schedules/calendar.js';
import { markHandled, markUnhandled, pendingInbound, stillPending, storeInbound } from '../../db/inbox.js';
import { enqueue } from '../../db/outbox.js';
import { SenderBudget } from '../core/flood.js';
import { isForBot, receive, type ReceiveDeps } from '../core/inbound.js';
import { ChannelDown, FileNotSent, type Channel, type Clock, type Envelope, type InboundMessage, type Logger } from '../core/ports.js';
import type { Placement } from '../core/reminders/rounds.js';
import { Scheduler } from '../core/reminders/scheduler.js';
import { exportText, mentionFirst } from '../core/text/messages.js';
import { reliabilityText } from '../core/text/reliability.js';
import { Outbox } from '../outbox/outbox.js';
import type { Config } from './config.js';
import { readPlanFile, savePlanRead, UserError } from './setup.js';

export type { Logger };

/** A send-only channel the reminder rounds go through (a group robot webhook), and its one group. */
export type RoundsChannel = { channel: Channel; group: string };

export type BotDeps = {
  db: Ledger;
  calendar: WorkCalendar;
  resolver: UnitResolver;
  config: Config;
  clock: Clock;
  log: Logger;
  /** the channel people talk to the bot through */
  channel: Channel;
  /** where present, the rounds' group digests and coordinator notices go through it instead */
  rounds?: RoundsChannel;
  /** for the pacing jitter */
  random?: () => number;
};

/** A message whose handling failed this often is left alone (status failed) and logged. */
const INBOX_ATTEMPTS = 5;
/** Answers a minute to one sender before the bot asks them to slow down. */
const ANSWERS_PER_MINUTE = 10;

/**
 * The bot: one channel wired to the core (inbound handling, the scheduler) and the outbox.
 * Knows no channel by name. Emits 'ready' once the channel is connected and what waited went.
 * Every incoming message is stored raw first (the inbox); one whose handling fails gets a short
 * answer and is handled again at the next tick and the next start.
 */
export class LiaisonBot extends EventEmitter {
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  private readonly receiveDeps: ReceiveDeps;
  private readonly budget = new SenderBudget(ANSWERS_PER_MINUTE);
  /** inbox rows being handled now: a retry leaves them alone */
  private readonly inFlight = new Set<number>();
  /** by name: each outbox row goes through the channel it names */
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly deps: BotDeps) {
    super();
    const { config, db, channel } = deps;
    const { time, ...ladder } = config.reminders;
    this.receiveDeps = {
      db,
      calendar: deps.calendar,
      ladder,
      resolver: deps.resolver,
      now: () => deps.clock.now(),
      exportDir: config.exportDir,
      coordinators: config.coordinators,
      maxLength: config.outbox.maxLength,
      atOnly: !channel.capabilities.hearsAllGroupMessages,
      privateMessages: channel.capabilities.privateMessages,
      coordinatorGroup: config.coordinatorGroup,
      plans: {
        // a file that is no plan this tool reads is said in one sentence; other failures are retried
        read: (path) => readPlanFile(path, deps.resolver.dir).catch((err) => (err instanceof UserError ? null : Promise.reject(err))),
        save: (db, read, now) => savePlanRead(db, read, deps.calendar, now),
      },
    };
    const through = deps.rounds?.channel ?? channel;
    for (const c of [channel, through]) this.channels.set(c.name, c);
    const gap = (name: string) => Math.ceil(60_000 / (this.channels.get(name)?.capabilities.perMinute ?? channel.capabilities.perMinute));
    this.outbox = new Outbox(db, deps.clock, config.outbox, (m) => this.deliver(m), deps.log, deps.random, gap, (m) => this.gaveUp(m));
    this.scheduler = new Scheduler({
      db,
      calendar: deps.calendar,
      ladder,
      clock: deps.clock,
      log: deps.log,
      roundTime: time,
      maxLength: config.outbox.maxLength,
      placement: deps.rounds ? this.fixedGroup(deps.rounds) : {
        channel: channel.name,
        groupOf: (ids) => groupsOf(db, channel.name, ids),
        privateMessages: channel.capabilities.privateMessages,
        coordinatorRoom: () => coordinatorGroup(db, channel.name) ?? this.coordinatorPrivately(),
        atOnly: !channel.capabilities.hearsAllGroupMessages,
      },
      connected: () => through.connected,
      drain: () => this.outbox.drain(),
    });
  }

  get channel(): Channel {
    return this.deps.channel;
  }

  /** No coordinator heard in a group yet: the first configured by id, privately, where the channel can. */
  private coordinatorPrivately() {
    const id = this.deps.channel.capabilities.privateMessages ? this.deps.config.coordinators.find((c) => c.contactId)?.contactId : undefined;
    return id ? { conversationId: id, contactIds: [id], kind: 'contact' as const } : null;
  }

  /** Every liaison and the coordinators (those heard on the channel that hears) in the rounds channel's one group. */
  private fixedGroup({ channel, group }: RoundsChannel): Placement {
    return {
      channel: channel.name,
      privateMessages: channel.capabilities.privateMessages,
      groupOf: (ids) => new Map(ids.map((id) => [id, group])),
      coordinatorRoom: () => ({ conversationId: group, contactIds: coordinatorGroup(this.deps.db, this.deps.channel.name)?.contactIds ?? [] }),
      atOnly: !this.deps.channel.capabilities.hearsAllGroupMessages,
    };
  }

  private starting: Promise<void> | null = null;

  async start(): Promise<void> {
    this.outbox.recover();
    const { rounds, log } = this.deps;
    await rounds?.channel.start({
      message: async () => {},
      connected: () => this.outbox.loggedIn(),
      disconnected: (reason) => log.warn({ channel: rounds.channel.name, reason }, 'disconnected; messages wait in the outbox'),
    });
    this.starting = this.deps.channel.start({
      message: (m) => this.onMessage(m),
      connected: () => this.onConnected(),
      disconnected: (reason) => this.deps.log.warn({ channel: this.deps.channel.name, reason }, 'disconnected; messages wait in the outbox'),
    });
    return this.starting;
  }

  /** Stops the channel, once its start has settled (a stop in the middle of a start leaves it half-open). */
  async stop(): Promise<void> {
    await this.starting?.catch(() => {});
    await this.deps.channel.stop();
    await this.deps.rounds?.channel.stop();
  }

  /** The minute's tick: messages whose handling failed are tried again, then the scheduler. */
  async tick(): Promise<void> {
    await this.retryInbox();
    await this.scheduler.tick();
  }

  private async onConnected(): Promise<void> {
    this.deps.log.info({ channel: this.deps.channel.name }, 'connected');
    await this.outbox.loggedIn();
    // what a crash or a failure left unhandled, then a round missed while down (today's only)
    await this.tick();
    this.emit('ready');
  }

  private async onMessage(m: InboundMessage): Promise<void> {
    const { db, clock, log } = this.deps;
    let id: number | null;
    try {
      id = storeInbound(db, m.channel, m.id, m, clock.now().toISOString());
    } catch (err) {
      // nothing was recorded (disk full, ledger locked): say so, straight through the channel
      log.error({ err, messageId: m.id }, 'message could not be stored');
      if (isForBot(m, this.deps.resolver)) await this.sendNow(m, reliabilityText.notStored);
      return;
    }
    if (id === null) return; // the channel delivered it before
    if (isForBot(m, this.deps.resolver)) {
      const budget = this.budget.take(`${m.channel}:${m.sender.id}`, clock.now());
      if (budget !== 'answer') {
        if (budget === 'slow-down') enqueue(db, [this.answerTo(m, reliabilityText.tooFast)], clock.now().toISOString());
        markHandled(db, id);
        return this.outbox.drain();
      }
    }
    await this.handle(id, m, true);
  }

  /** Handles a stored message; on failure says once that it will be handled later. */
  private async handle(id: number, m: InboundMessage, first: boolean): Promise<void> {
    const { db, log } = this.deps;
    this.inFlight.add(id);
    try {
      const reply = await receive(m, this.receiveDeps, () => markHandled(db, id));
      // a file's path goes to the log, never into the chat
      if (reply) log.info({ messageId: m.id, ...(reply.file ? { file: reply.file } : {}) }, 'answered');
      await this.outbox.drain();
      if (reply?.runRound) await this.scheduler.runRound();
    } catch (err) {
      log.error({ err, messageId: m.id }, 'message handling failed; it is tried again later');
      try {
        markUnhandled(db, id, (err as Error).message, INBOX_ATTEMPTS);
      } catch (again) {
        log.error({ err: again, messageId: m.id }, 'the failure could not be recorded; the message is tried again at the next start');
      }
      if (first && isForBot(m, this.deps.resolver)) await this.sendNow(m, reliabilityText.receivedLater);
    } finally {
      this.inFlight.delete(id);
    }
  }

  private async retryInbox(): Promise<void> {
    for (const row of pendingInbound(this.deps.db, this.deps.channel.name)) {
      // checked and marked in flight with no await between: ticks overlap, a row is handled once
      if (!this.inFlight.has(row.id) && stillPending(this.deps.db, row.id)) await this.handle(row.id, row.message as InboundMessage, false);
    }
  }

  /** An answer to a message, as the outbox queues it. */
  private answerTo(m: InboundMessage, text: string) {
    const inRoom = m.conversation.kind === 'room';
    return { channel: m.channel, target: m.conversation.id, targetKind: m.conversation.kind, replyToken: m.replyToken ?? null, ...mentionFirst(inRoom ? [m.sender.id] : [], text) };
  }

  /** Sends at once, past the outbox: for when the ledger cannot be written. */
  private async sendNow(m: InboundMessage, text: string): Promise<void> {
    const { target, targetKind, ...rest } = this.answerTo(m, text);
    await this.deps.channel.send({ conversation: { kind: targetKind, id: target }, ...rest }).catch((err) => this.deps.log.error({ err, messageId: m.id }, 'could not answer'));
  }

  /** The outbox gave a message up: the coordinators hear of it once. */
  private gaveUp(m: OutboxRow): void {
    // coordinators are heard on the channel that hears, whichever channel the message was for
    const group = coordinatorGroup(this.deps.db, this.deps.channel.name);
    if (!group) return;
    const preview = (m.filePath ? basename(m.filePath) : m.parts.join('')).slice(0, 40);
    enqueue(this.deps.db, [{ channel: this.deps.channel.name, target: group.conversationId, targetKind: 'room', ...mentionFirst(group.contactIds, reliabilityText.gaveUp(m.target, preview)) }], this.deps.clock.now().toISOString());
  }

  /** Hands one outbox message to the channel; a file it cannot send is said in words. */
  private async deliver(m: OutboxRow): Promise<void> {
    const envelope: Envelope = {
      conversation: { kind: m.targetKind, id: m.target },
      parts: m.parts,
      mentions: m.mentions,
      filePath: m.filePath,
      replyToken: m.replyToken,
    };
    // '' : queued by a release before channels, through the channel that hears
    const channel = this.channels.get(m.channel || this.deps.channel.name);
    if (!channel) throw new Error(`the ${m.channel} channel is not configured now`);
    if (!channel.connected) throw new ChannelDown(`the ${channel.name} channel is not connected`);
    try {
      await channel.send(envelope);
    } catch (err) {
      if (!(err instanceof FileNotSent) || !m.filePath) throw err;
      this.deps.log.warn({ err, path: m.filePath }, 'the channel could not send the file');
      await channel.send({ ...envelope, filePath: null, parts: [exportText.cannotSendFile], mentions: [] });
    }
  }
}
