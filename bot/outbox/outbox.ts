import type { Ledger } from '../../db/open.js';
import { abandonInFlight, claim, markFailed, markSent, nextPending, retryNow, sentSince, unclaim, type OutboxRow } from '../../db/outbox.js';
import { fromShanghai, shanghaiDate } from '../../schedules/clock.js';
import { ChannelDown, type Clock, type Logger } from '../core/ports.js';

export type Pacing = { minGapMs: number; jitterMs: number; dailyCap: number };

/** Hands one message to its channel; throws when it could not (logged out, network). */
export type Deliver = (message: OutboxRow) => Promise<void>;

/** The shortest gap a channel's own rate limit allows (a WeCom group robot: 20 a minute, 3 s). */
export type ChannelGap = (channel: string) => number;

/** Called once for a message the outbox gave up on (after the retry limit). */
export type GiveUp = (message: OutboxRow) => void;

const MAX_BACKOFF_MS = 10 * 60_000;
/** A message that failed this often is given up, and the coordinators told. */
export const RETRY_LIMIT = 8;

/**
 * Sends what waits in the durable outbox, answers first, then oldest first, paced per channel:
 * a minimum gap with random jitter between messages (never below the channel's own limit) and
 * a daily cap, since WeChat restricts accounts that send fast. Pacing runs on the monotonic
 * clock, so a wall clock stepped back never stalls it. A message is claimed atomically just
 * before it is handed over, so two drainers never send it twice. A failed send is retried with
 * back-off up to RETRY_LIMIT times.
 */
export class Outbox {
  /** per channel, on the monotonic clock: each channel has its own limit */
  private readonly lastSentAt = new Map<string, number>();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Ledger,
    private readonly clock: Clock,
    private readonly pacing: Pacing,
    private readonly deliver: Deliver,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
    private readonly channelGap: ChannelGap = () => 0,
    private readonly giveUp: GiveUp = () => {},
  ) {}

  /** At start-up: a message a crash left half-sent is never sent twice. */
  recover(): void {
    for (const m of abandonInFlight(this.db)) this.log.warn({ outboxId: m.id, target: m.target }, 'message in flight at the last stop was not resent');
  }

  /** After a login: what waited goes now. */
  loggedIn(): Promise<void> {
    retryNow(this.db, this.clock.now().toISOString());
    return this.drain();
  }

  /** Sends everything due; concurrent calls share one run, which goes on while work arrives. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      while (await this.sendOne());
    } while (this.again);
  }

  /** Sends the next due message; false when there is none, the cap is reached or a send failed. */
  private async sendOne(): Promise<boolean> {
    const now = this.clock.now();
    const dayStart = fromShanghai(`${shanghaiDate(now)} 00:00`)!.toISOString();
    if (sentSince(this.db, dayStart) >= this.pacing.dailyCap) {
      this.log.warn({ cap: this.pacing.dailyCap }, 'daily sending cap reached; the rest waits for tomorrow');
      return false;
    }
    const next = nextPending(this.db, now.toISOString());
    if (!next) return false;
    const last = this.lastSentAt.get(next.channel);
    if (last !== undefined) {
      const gap = Math.max(this.pacing.minGapMs + Math.floor(this.random() * this.pacing.jitterMs), this.channelGap(next.channel));
      const wait = last + gap - this.clock.monotonic();
      if (wait > 0) await this.clock.sleep(wait);
    }
    // another drainer may have taken it meanwhile: then look again
    const message = claim(this.db, next.id);
    if (!message) return true;
    try {
      await this.deliver(message);
    } catch (err) {
      // disconnected: it waits for the connection (loggedIn drains), counting no attempt
      if (err instanceof ChannelDown) {
        unclaim(this.db, message.id);
        return false;
      }
      const backoff = Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** message.attempts);
      const retryAt = new Date(this.clock.now().getTime() + backoff).toISOString();
      if (markFailed(this.db, message.id, (err as Error).message, retryAt, RETRY_LIMIT) === 'failed') {
        this.log.error({ outboxId: message.id, err }, 'send failed too often; given up');
        this.giveUp(message);
        return true;
      }
      this.log.warn({ outboxId: message.id, err }, 'send failed; will retry');
      return false;
    }
    markSent(this.db, message.id, this.clock.now().toISOString());
    this.lastSentAt.set(message.channel, this.clock.monotonic());
    return true;
  }
}
