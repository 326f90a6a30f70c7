import { and, between, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { prepared, type Queryable } from './open.js';
import { enqueue, type NewMessage } from './outbox.js';
import { assignments, items, reminders, rounds, units } from './schema.js';

/** An open, dated row of a unit with a liaison-facing description. */
export type OpenRow = {
  id: number;
  due: string;
  unitId: number;
  unit: string;
  ref: string;
  kind: 'task' | 'checklist' | 'body';
  ruleType: string;
  text: string;
  occurrence: string;
};

/** Which due dates to read: overdue before `today`, and these windows (the ladder's). */
export type DueFilter = { today: string; windows: { from: string; to: string }[] };

/**
 * Open dated rows of units, due on or after `from` (rows due before the plan was issued are
 * checks of what should exist already, not chased); optionally only some units, and only the
 * due dates a round can touch.
 */
export function openDatedRows(db: Queryable, planId: number, from: string, unitIds?: number[], due?: DueFilter): OpenRow[] {
  const cond = [
    eq(items.planId, planId),
    isNull(items.retiredAt),
    isNull(assignments.retiredAt),
    isNull(assignments.doneReportId),
    isNotNull(assignments.unitId),
    gte(assignments.due, from),
  ];
  if (unitIds) cond.push(inArray(assignments.unitId, unitIds));
  if (due) cond.push(or(lt(assignments.due, due.today), ...due.windows.map((w) => between(assignments.due, w.from, w.to)))!);
  return db
    .select({
      id: assignments.id,
      due: sql<string>`${assignments.due}`,
      unitId: sql<number>`${assignments.unitId}`,
      unit: units.name,
      ref: items.ref,
      kind: items.kind,
      ruleType: sql<string>`json_extract(${items.rule}, '$.type')`,
      text: items.text,
      occurrence: assignments.occurrence,
    })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .innerJoin(units, eq(units.id, assignments.unitId))
    .where(and(...cond))
    .all();
}

/** Which of these reminder keys were recorded already (one query, the keys as a JSON array). */
export function sentKeys(db: Queryable, keys: string[]): Set<string> {
  if (keys.length === 0) return new Set();
  const stmt = prepared(db, 'sentKeys', () =>
    db
      .select({ key: reminders.key })
      .from(reminders)
      .where(sql`${reminders.key} in (select value from json_each(${sql.placeholder('keys')}))`)
      .prepare(),
  );
  return new Set(stmt.all({ keys: JSON.stringify(keys) }).map((r) => r.key));
}

export type ReminderIntent = { key: string; assignmentId: number; step: string; day: string };
export type OutgoingWithKeys = NewMessage & { keys: string[] };

/**
 * Records the reminder keys and queues the messages that carry them, in one transaction:
 * the intent is durable before anything is sent, and a key already recorded is never queued
 * again. Returns the queued messages' ids.
 */
export function recordReminders(db: Queryable, intents: ReminderIntent[], messages: OutgoingWithKeys[], now: string): number[] {
  return db.transaction((tx) => {
    const already = sentKeys(tx, intents.map((i) => i.key));
    const insert = tx
      .insert(reminders)
      .values({
        key: sql.placeholder('key'),
        assignmentId: sql.placeholder('assignmentId'),
        step: sql.placeholder('step'),
        day: sql.placeholder('day'),
        outboxId: sql.placeholder('outboxId'),
        createdAt: now,
      })
      .onConflictDoNothing()
      .prepare();
    // each key is recorded with the first message that carries it
    const carrier = new Map<string, number>();
    const ids: number[] = [];
    for (const { keys, ...message } of messages) {
      if (keys.length && keys.every((k) => already.has(k))) continue;
      const [id] = enqueue(tx, [message], now);
      ids.push(id!);
      for (const k of keys) if (!carrier.has(k)) carrier.set(k, id!);
    }
    for (const intent of intents) {
      const outboxId = carrier.get(intent.key);
      if (outboxId !== undefined && !already.has(intent.key)) insert.run({ ...intent, outboxId });
    }
    return ids;
  });
}

/** Marks the day's round as run; false when another process got there first. */
export function claimRound(db: Queryable, day: string, ranAt: string, late: boolean): boolean {
  return db.insert(rounds).values({ day, ranAt, late }).onConflictDoNothing().run().changes === 1;
}
