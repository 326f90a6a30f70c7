import { checkpoint, inTransaction, type Ledger } from '../../../db/open.js';
import { PRIORITY } from '../../../db/outbox.js';
import { currentPlan } from '../../../db/queries.js';
import { claimRound, recordReminders, releaseFutureRounds } from '../../../db/reminders.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import { fromShanghai, shanghaiDate } from '../../../schedules/clock.js';
import type { Ladder } from '../../../schedules/ladder.js';
import type { Clock, Logger } from '../ports.js';
import { planRound, roundMessages, type Placement } from './rounds.js';

/** A round that runs more than this after its time (after downtime) is marked as late. */
const LATE_AFTER_MS = 30 * 60_000;
/** The wall clock moved this much further than the monotonic one between ticks: it was stepped. */
const STEP_MS = 10 * 60_000;
/** After a forward step, rounds wait this long (monotonic) for the clock to be corrected. */
const HOLD_AFTER_STEP_MS = 60 * 60_000;

export type SchedulerDeps = {
  db: Ledger;
  calendar: WorkCalendar;
  ladder: Ladder;
  clock: Clock;
  log: Logger;
  /** HH:mm, Asia/Shanghai */
  roundTime: string;
  maxLength: number;
  placement: Placement;
  /** the channel is connected: a round can be placed and sent */
  connected: () => boolean;
  /** sends what the outbox holds */
  drain: () => Promise<void>;
};

/** Decides from the ledger whether today's round is due, claims it, plans it and queues it. */
export class Scheduler {
  private last: { wall: number; mono: number } | null = null;
  /** monotonic time until which rounds wait, after the wall clock jumped forward */
  private holdUntil = 0;

  constructor(private readonly deps: SchedulerDeps) {}

  /**
   * A wall clock stepped forward (a wrong time, later corrected) must not run a future day's
   * round and escalate early: rounds wait an hour after such a step. A clock stepped back
   * releases the claims of days still to come, so those days run when they arrive.
   */
  private clockTrusted(now: Date, today: string): boolean {
    const { clock, log, db } = this.deps;
    const mono = clock.monotonic();
    if (this.last) {
      const drift = now.getTime() - this.last.wall - (mono - this.last.mono);
      if (drift > STEP_MS) {
        this.holdUntil = mono + HOLD_AFTER_STEP_MS;
        log.warn({ steppedMs: drift }, 'the clock jumped forward; reminder rounds wait an hour in case it is corrected');
      }
    }
    this.last = { wall: now.getTime(), mono };
    const released = releaseFutureRounds(db, today);
    if (released.length) log.warn({ days: released }, 'the clock went back: rounds claimed for days still to come will run on their day');
    return mono >= this.holdUntil;
  }

  /**
   * The scheduler's tick (node-cron calls it every minute; the simulator at each round time):
   * on a working day, once the round time has passed and today's round has not run, run it.
   * Rounds missed while the bot was down or disconnected are not replayed: only today's,
   * marked late when it runs well after its time.
   */
  async tick(): Promise<void> {
    const { db, clock, calendar } = this.deps;
    checkpoint(db);
    // disconnected: nothing can be sent; the round waits for the connection
    if (!this.deps.connected()) return;
    const now = clock.now();
    const today = shanghaiDate(now);
    const at = fromShanghai(`${today} ${this.deps.roundTime}`)!;
    if (this.clockTrusted(now, today) && calendar.isWorkday(today) && now >= at) {
      // the claim is the check, and commits with the round's recorded reminders and messages:
      // only the first tick (of any process) of the day gets the round, and never loses it
      const late = now.getTime() - at.getTime() > LATE_AFTER_MS;
      inTransaction(
        db,
        () => {
          if (claimRound(db, today, now.toISOString(), late)) this.queueRound(now, late);
        },
        'immediate',
      );
    }
    await this.deps.drain();
  }

  /** Plans today's round from the ledger and queues it, with its reminder keys; the day's own round also tells the coordinators. */
  private queueRound(now: Date, late: boolean, withSummary = true): void {
    const { db, calendar, ladder } = this.deps;
    const plan = currentPlan(db);
    // the instant the day was claimed for: planned and recorded for that same day
    const round = plan && planRound(db, plan, calendar, ladder, now);
    if (!round) return;
    const messages = roundMessages(round, this.deps.placement, late, this.deps.maxLength, withSummary).map((m) => ({ ...m, priority: PRIORITY.round }));
    recordReminders(db, round.intents, messages, now.toISOString());
    this.deps.log.info({ day: round.today, messages: messages.length, reminders: round.intents.length, late }, 'reminder round');
  }

  /** The round now (/remind): keys sent already are not sent again, nor the coordinators' summary. */
  async runRound(): Promise<void> {
    inTransaction(this.deps.db, () => this.queueRound(this.deps.clock.now(), false, false), 'immediate');
    await this.deps.drain();
  }
}
