import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { prepared, type Queryable } from './open.js';
import { outbox } from './schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewMessage = Pick<OutboxRow, 'channel' | 'target' | 'targetKind' | 'parts' | 'mentions'> & {
  filePath?: string | null;
  replyToken?: string | null;
  /** 0 answers (the default), 1 rounds, 2 bulk notices */
  priority?: number;
};

/** Queue priorities: an answer never waits behind a round, a round never behind bulk notices. */
export const PRIORITY = { answer: 0, round: 1, bulk: 2 } as const;

/** Queues messages; in the caller's transaction when there is one. Returns their ids. */
export function enqueue(db: Queryable, messages: NewMessage[], now: string): number[] {
  const insert = prepared(db, 'enqueue', () =>
    db
      .insert(outbox)
      .values({
        channel: sql.placeholder('channel'),
        target: sql.placeholder('target'),
        targetKind: sql.placeholder('targetKind'),
        parts: sql.placeholder('parts'),
        mentions: sql.placeholder('mentions'),
        filePath: sql.placeholder('filePath'),
        replyToken: sql.placeholder('replyToken'),
        priority: sql.placeholder('priority'),
        createdAt: sql.placeholder('now'),
        // at once: a wall clock stepped back must not hold a new message until it catches up
        notBefore: '',
      })
      .returning({ id: outbox.id })
      .prepare(),
  );
  return messages.map(
    (m) => insert.get({ ...m, filePath: m.filePath ?? null, replyToken: m.replyToken ?? null, priority: m.priority ?? PRIORITY.answer, now })!.id, // json columns encode their own values
  );
}

/** The message that goes next (highest priority, then oldest), not yet claimed. */
export function nextPending(db: Queryable, now: string): OutboxRow | undefined {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.notBefore, now)))
    .orderBy(asc(outbox.priority), asc(outbox.id))
    .limit(1)
    .get();
}

/**
 * Claims a message for sending, atomically: of two drainers (two processes, or two loops) only
 * one gets it. Recorded before it is handed to the channel: a crash now leaves it 'sending'.
 */
export function claim(db: Queryable, id: number): OutboxRow | undefined {
  return db
    .update(outbox)
    .set({ status: 'sending' })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')))
    .returning()
    .get();
}

/** A claimed message goes back to the queue as it was: its channel was not connected. */
export function unclaim(db: Queryable, id: number): void {
  db.update(outbox).set({ status: 'pending' }).where(and(eq(outbox.id, id), eq(outbox.status, 'sending'))).run();
}

export function markSent(db: Queryable, id: number, now: string): void {
  db.update(outbox).set({ status: 'sent', sentAt: now }).where(eq(outbox.id, id)).run();
}

/** A send failed: try again after `retryAt`, or give up ('failed') once it has failed `limit` times. */
export function markFailed(db: Queryable, id: number, error: string, retryAt: string, limit: number): 'retry' | 'failed' {
  const row = db
    .update(outbox)
    .set({
      status: sql`case when ${outbox.attempts} + 1 >= ${limit} then 'failed' else 'pending' end`,
      attempts: sql`${outbox.attempts} + 1`,
      lastError: error,
      notBefore: retryAt,
    })
    .where(eq(outbox.id, id))
    .returning({ status: outbox.status })
    .get();
  return row?.status === 'failed' ? 'failed' : 'retry';
}

/**
 * At start-up: a message left 'sending' may or may not have reached WeChat before the crash.
 * Sending it again could repeat a reminder, so it is abandoned (and logged), never resent.
 */
export function abandonInFlight(db: Queryable): OutboxRow[] {
  // one statement: a row another drainer marks sent meanwhile stays sent
  return db.update(outbox).set({ status: 'abandoned' }).where(eq(outbox.status, 'sending')).returning().all();
}

/** After a login, what waited for one may go at once. */
export function retryNow(db: Queryable, now: string): void {
  db.update(outbox).set({ notBefore: now }).where(eq(outbox.status, 'pending')).run();
}

/** How many messages went out since an instant (for the daily cap). */
export function sentSince(db: Queryable, since: string): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .where(and(eq(outbox.status, 'sent'), gte(outbox.sentAt, since)))
    .get()!.n;
}
