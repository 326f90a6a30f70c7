import { and, asc, eq, sql } from 'drizzle-orm';
import { prepared, type Queryable } from './open.js';
import { inbox } from './schema.js';

export type InboxRow = typeof inbox.$inferSelect;

/**
 * Stores an incoming message raw, before it is handled. Null when the channel delivered the
 * same message before (a redelivery after a reconnect): it is never handled twice.
 */
export function storeInbound(db: Queryable, channel: string, messageId: string, message: unknown, now: string): number | null {
  const insert = prepared(db, 'storeInbound', () =>
    db
      .insert(inbox)
      .values({ channel: sql.placeholder('channel'), messageId: sql.placeholder('messageId'), message: sql.placeholder('message'), receivedAt: sql.placeholder('now') })
      .onConflictDoNothing()
      .returning({ id: inbox.id })
      .prepare(),
  );
  return insert.get({ channel, messageId, message, now })?.id ?? null; // the json column encodes it
}

export function markHandled(db: Queryable, id: number): void {
  prepared(db, 'markHandled', () =>
    db
      .update(inbox)
      .set({ status: 'handled' })
      .where(eq(inbox.id, sql.placeholder('id')))
      .prepare(),
  ).run({ id });
}

/** Handling failed: it is tried again later, until `limit` attempts. Returns the attempts so far. */
export function markUnhandled(db: Queryable, id: number, error: string, limit: number): number {
  const row = db
    .update(inbox)
    .set({
      attempts: sql`${inbox.attempts} + 1`,
      lastError: error,
      status: sql`case when ${inbox.attempts} + 1 >= ${limit} then 'failed' else 'pending' end`,
    })
    .where(eq(inbox.id, id))
    .returning({ attempts: inbox.attempts })
    .get();
  return row?.attempts ?? 0;
}

/** Messages stored but not handled yet (a failure, or a crash mid-handling), oldest first. */
export function pendingInbound(db: Queryable, channel: string, limit = 100): InboxRow[] {
  return db
    .select()
    .from(inbox)
    .where(and(eq(inbox.status, 'pending'), eq(inbox.channel, channel)))
    .orderBy(asc(inbox.id))
    .limit(limit)
    .all();
}

/** Still waiting to be handled: a row in an earlier snapshot may have been handled meanwhile. */
export function stillPending(db: Queryable, id: number): boolean {
  return db.select({ id: inbox.id }).from(inbox).where(and(eq(inbox.id, id), eq(inbox.status, 'pending'))).get() !== undefined;
}
