import { checkpoint, type Ledger } from '../../../db/open.js';
import { currentPlan } from '../../../db/queries.js';
import { claimRound, recordReminders } from '../../../db/reminders.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import { fromShanghai, shanghaiDate } from '../../../schedules/clock.js';
import type { Ladder } from '../../../schedules/ladder.js';
import type { Clock, Logger } from '../ports.js';
import { planRound, roundMessages, type Placement } from './rounds.js';

/** A round that runs more than this after its time (after downtime) is marked as late. */
const LATE_AFTER_MS = 30 * 60_000;

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
  constructor(private readonly deps: SchedulerDeps) {}

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
    if (calendar.isWorkday(today) && now >= at) {
      // the claim is the check: only the first tick (of any process) of the day gets the round
      const late = now.getTime() - at.getTime() > LATE_AFTER_MS;
      if (claimRound(db, today, now.toISOString(), late)) await this.runRound(late);
    }
    await this.deps.drain();
  }

  /** Plans today's round from the ledger, records its keys with its messages, and sends them. */
  async runRound(late: boolean): Promise<void> {
    const { db, calendar, ladder, clock } = this.deps;
    const plan = currentPlan(db);
    const round = plan && planRound(db, plan, calendar, ladder, clock.now());
    if (!round) return;
    const messages = roundMessages(round, this.deps.placement, late, this.deps.maxLength);
    recordReminders(db, round.intents, messages, clock.now().toISOString());
    this.deps.log.info({ day: round.today, messages: messages.length, reminders: round.intents.length, late }, 'reminder round');
    await this.deps.drain();
  }
}
