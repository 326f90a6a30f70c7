import { EventEmitter } from 'node:events';
import { coordinatorGroup, groupsOf } from '../../db/conversations.js';
import type { Ledger } from '../../db/open.js';
import type { OutboxRow } from '../../db/outbox.js';
import type { UnitResolver } from '../../seeds/units.js';
import type { WorkCalendar } from '../../schedules/calendar.js';
import { receive, type ReceiveDeps } from '../core/inbound.js';
import { FileNotSent, type Channel, type Clock, type InboundMessage, type Logger } from '../core/ports.js';
import { Scheduler } from '../core/reminders/scheduler.js';
import { exportText } from '../core/text/messages.js';
import { Outbox } from '../outbox/outbox.js';
import type { Config } from './config.js';

export type { Logger };

export type BotDeps = {
  db: Ledger;
  calendar: WorkCalendar;
  resolver: UnitResolver;
  config: Config;
  clock: Clock;
  log: Logger;
  /** the channel people talk to the bot through */
  channel: Channel;
  /** for the pacing jitter */
  random?: () => number;
};

/**
 * The bot: one channel wired to the core (inbound handling, the scheduler) and the outbox.
 * Knows no channel by name. Emits 'ready' once the channel is connected and what waited went.
 */
export class LiaisonBot extends EventEmitter {
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  private readonly receiveDeps: ReceiveDeps;

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
    };
    const gap = Math.ceil(60_000 / channel.capabilities.perMinute);
    this.outbox = new Outbox(db, deps.clock, config.outbox, (m) => this.deliver(m), deps.log, deps.random, () => gap);
    this.scheduler = new Scheduler({
      db,
      calendar: deps.calendar,
      ladder,
      clock: deps.clock,
      log: deps.log,
      roundTime: time,
      maxLength: config.outbox.maxLength,
      placement: {
        channel: channel.name,
        groupOf: (ids) => groupsOf(db, channel.name, ids),
        privateMessages: channel.capabilities.privateMessages,
        coordinatorRoom: () => coordinatorGroup(db, channel.name),
      },
      connected: () => channel.connected,
      drain: () => this.outbox.drain(),
    });
  }

  get channel(): Channel {
    return this.deps.channel;
  }

  private starting: Promise<void> | null = null;

  start(): Promise<void> {
    this.outbox.recover();
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
  }

  tick(): Promise<void> {
    return this.scheduler.tick();
  }

  private async onConnected(): Promise<void> {
    this.deps.log.info({ channel: this.deps.channel.name }, 'connected');
    await this.outbox.loggedIn();
    // a round missed while disconnected or down goes now (today's only)
    await this.scheduler.tick();
    this.emit('ready');
  }

  private async onMessage(m: InboundMessage): Promise<void> {
    try {
      const reply = await receive(m, this.receiveDeps);
      if (!reply) return;
      this.deps.log.info({ messageId: m.id }, 'answered');
      await this.outbox.drain();
      if (reply.runRound) await this.scheduler.runRound(false);
    } catch (err) {
      this.deps.log.error({ err, messageId: m.id }, 'message handling failed');
    }
  }

  /** Hands one outbox message to the channel; a file it cannot send is said in words. */
  private async deliver(m: OutboxRow): Promise<void> {
    const envelope = {
      conversation: { kind: m.targetKind, id: m.target },
      parts: m.parts,
      mentions: m.mentions,
      filePath: m.filePath,
      replyToken: m.replyToken,
    };
    try {
      await this.deps.channel.send(envelope);
    } catch (err) {
      if (!(err instanceof FileNotSent) || !m.filePath) throw err;
      this.deps.log.warn({ err, path: m.filePath }, 'the channel could not send the file');
      await this.deps.channel.send({ ...envelope, filePath: null, parts: [exportText.cannotSendFile(m.filePath)], mentions: [] });
    }
  }
}
