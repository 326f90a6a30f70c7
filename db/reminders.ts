import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from './open.js';
import { ruleType } from './queries.js';
import { enqueue, type NewMessage } from './outbox.js';
import { isDailyStep } from '../schedules/ladder.js';
import { assignments, items, overduePings, reminders, rounds, units as unitsTable } from './schema.js';

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

/** Which due dates to read: overdue before `today`, and these windows (the ladder's, disjoint). */
export type DueFilter = { today: string; windows: { from: string; to: string }[] };

/**
 * Open dated rows of units, due on or after `from` (rows due before the plan was issued are
 * checks of what should exist already, not chased) and on the dates a round can touch;
 * optionally only some units. A round at province scale reads some 200,000 rows: each due
 * range is its own search of the covering open-rows index, and item and unit texts are joined
 * here from two small maps rather than per row in SQL.
 */
export function openDatedRows(db: Queryable, planId: number, from: string, unitIds: number[] | undefined, due: DueFilter): OpenRow[] {
  const units = unitIds ? sql` and a.unit_id in (select value from json_each(${JSON.stringify(unitIds)}))` : sql``;
  const open = (range: SQL) =>
    sql`select a.id, a.due, a.unit_id, a.item_id, a.occurrence from assignments a
        where a.done_report_id is null and a.retired_at is null and a.unit_id is not null${units} and ${range}`;
  const searches = [
    open(sql`a.due >= ${from} and a.due < ${due.today}`),
    ...due.windows.map((w) => open(sql`a.due between ${w.from < from ? from : w.from} and ${w.to}`)),
  ];
  const found = db.values<[number, string, number, number, string]>(sql.join(searches, sql` union all `));
  const liveItems = new Map(
    db
      .select({ id: items.id, ref: items.ref, kind: items.kind, ruleType, text: items.text })
      .from(items)
      .where(and(eq(items.planId, planId), isNull(items.retiredAt)))
      .all()
      .map((i) => [i.id, i]),
  );
  const unitNames = new Map(db.select({ id: unitsTable.id, name: unitsTable.name }).from(unitsTable).all().map((u) => [u.id, u.name]));
  const rows: OpenRow[] = [];
  for (const [id, due, unitId, itemId, occurrence] of found) {
    const item = liveItems.get(itemId);
    if (item) rows.push({ id, due, unitId, unit: unitNames.get(unitId)!, ref: item.ref, kind: item.kind, ruleType: item.ruleType, text: item.text, occurrence });
  }
  return rows;
}

/** The plan's last due date (of its own rows, not of reported events): its year ends there. */
export function planLastDue(db: Queryable, planId: number): string | null {
  const [row] = db
    .select({ last: sql<string | null>`max(${assignments.due})` })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .where(and(eq(items.planId, planId), eq(assignments.source, 'plan')))
    .all();
  return row?.last ?? null;
}

/** A reminder to record: a DueReminder of schedules/ladder.ts for a row of a unit is one. */
export type ReminderIntent = { key: string; assignmentId: number; stepKey: string; day: string; row: { unitId: number } };
export type OutgoingWithKeys = NewMessage & { keys: string[] };

/**
 * Which of a day's reminders were recorded already, to leave out of a round. Steps sent once per
 * row (before-N, due, escalate) are read by row from their index; a daily overdue ping counts
 * as sent when its unit's pings of the day were recorded (a unit's digest carries all of its
 * overdue rows). A province round checks some 300,000 reminders without a lookup each.
 */
export function recordedReminders(db: Queryable, assignmentIds: number[], day: string): (r: ReminderIntent) => boolean {
  const once = new Map<number, string[]>();
  if (assignmentIds.length) {
    const rows = db.values<[number, string]>(
      sql`select r.assignment_id, r.step from json_each(${JSON.stringify(assignmentIds)}) j join ${reminders} r on r.assignment_id = j.value`,
    );
    for (const [id, step] of rows) once.set(id, [...(once.get(id) ?? []), step]);
  }
  const pinged = new Set(db.values<[number]>(sql`select ${overduePings.unitId} from ${overduePings} where ${overduePings.day} = ${day}`).map(([u]) => u));
  return (r) => (isDailyStep(r.stepKey) ? pinged.has(r.row.unitId) : (once.get(r.assignmentId)?.includes(r.stepKey) ?? false));
}

/**
 * Records the reminders and queues the messages that carry them, in one transaction: the
 * intent is durable before anything is sent, and a reminder recorded already is never queued
 * again. Returns the queued messages' ids. The intents are of one day (a round, or 提醒我).
 */
export function recordReminders(db: Queryable, intents: ReminderIntent[], messages: OutgoingWithKeys[], now: string): number[] {
  return db.transaction((tx) => {
    const recorded = recordedReminders(tx, [...new Set(intents.map((i) => i.assignmentId))], intents[0]?.day ?? '');
    const already = new Set(intents.filter(recorded).map((i) => i.key));
    const insert = tx
      .insert(reminders)
      .values({
        key: sql.placeholder('key'),
        assignmentId: sql.placeholder('assignmentId'),
        step: sql.placeholder('stepKey'),
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
    const pings = new Map<number, { day: string; outboxId: number }>();
    for (const intent of intents) {
      const outboxId = carrier.get(intent.key);
      if (outboxId === undefined || already.has(intent.key)) continue;
      if (!isDailyStep(intent.stepKey)) insert.run({ key: intent.key, assignmentId: intent.assignmentId, stepKey: intent.stepKey, day: intent.day, outboxId });
      else if (!pings.has(intent.row.unitId)) pings.set(intent.row.unitId, { day: intent.day, outboxId });
    }
    for (const [unitId, ping] of pings) tx.insert(overduePings).values({ unitId, ...ping, createdAt: now }).onConflictDoNothing().run();
    return ids;
  });
}

/** Marks the day's round as run; false when another process got there first. */
export function claimRound(db: Queryable, day: string, ranAt: string, late: boolean): boolean {
  return db.insert(rounds).values({ day, ranAt, late }).onConflictDoNothing().run().changes === 1;
}

/** Claims of days after `today`: made while the clock was wrong (ahead); released so those days run when they come. */
export function releaseFutureRounds(db: Queryable, today: string): string[] {
  return db
    .delete(rounds)
    .where(sql`${rounds.day} > ${today}`)
    .returning({ day: rounds.day })
    .all()
    .map((r) => r.day);
}
