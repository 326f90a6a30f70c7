import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { ruleSchema, type Rule } from '../seeds/plan-types.js';
import { inTransaction, prepared, type Ledger, type Queryable } from './open.js';
import { assignments, items, reports, units } from './schema.js';

export type ItemRow = Omit<typeof items.$inferSelect, 'rule'> & { rule: Rule };

export function itemByRef(db: Queryable, planId: number, ref: string): ItemRow | undefined {
  const stmt = prepared(db, 'itemByRef', () =>
    db
      .select()
      .from(items)
      .where(and(eq(items.planId, sql.placeholder('planId')), eq(items.ref, sql.placeholder('ref')), isNull(items.retiredAt)))
      .prepare(),
  );
  const row = stmt.get({ planId, ref });
  return row && { ...row, rule: ruleSchema.parse(row.rule) };
}

export type AssignmentView = typeof assignments.$inferSelect & { unit: string | null };

/** The live rows of one item for some units, earliest due first (undated last). */
export function rowsForItem(db: Queryable, itemId: number, unitIds?: number[]): AssignmentView[] {
  const query = (forUnits: boolean) =>
    db
      .select({ a: assignments, unit: units.name })
      .from(assignments)
      .leftJoin(units, eq(units.id, assignments.unitId))
      .where(
        and(
          eq(assignments.itemId, sql.placeholder('itemId')),
          isNull(assignments.retiredAt),
          // any set of units in one prepared statement: they come as a JSON array
          forUnits ? sql`${assignments.unitId} in (select value from json_each(${sql.placeholder('units')}))` : undefined,
        ),
      )
      .orderBy(sql`${assignments.due} is null`, asc(assignments.due), asc(assignments.id))
      .prepare();
  const rows = unitIds
    ? prepared(db, 'rowsForItemUnits', () => query(true)).all({ itemId, units: JSON.stringify(unitIds) })
    : prepared(db, 'rowsForItem', () => query(false)).all({ itemId });
  return rows.map((r) => ({ ...r.a, unit: r.unit }));
}

export type NewReport = {
  assignmentId: number;
  kind: 'done' | 'progress' | 'event' | 'correction';
  evidence: string | null;
  note: string | null;
  /** a coordinator reported for the unit (代报) */
  onBehalf?: boolean;
  authorContactId: string;
  authorName: string;
  rawText: string;
  at: string;
};

/**
 * Stores a check-in. A completion marks the row done unless it already was: a second
 * 完成 is history, never a second completion. Returns whether this report completed the row.
 */
export function recordReport(db: Ledger, report: NewReport): { reportId: number; completed: boolean } {
  const insert = prepared(db, 'insertReport', () =>
    db
      .insert(reports)
      .values({
        assignmentId: sql.placeholder('assignmentId'),
        kind: sql.placeholder('kind'),
        evidence: sql.placeholder('evidence'),
        note: sql.placeholder('note'),
        onBehalf: sql.placeholder('onBehalf'),
        authorContactId: sql.placeholder('authorContactId'),
        authorName: sql.placeholder('authorName'),
        rawText: sql.placeholder('rawText'),
        at: sql.placeholder('at'),
      })
      .returning({ id: reports.id })
      .prepare(),
  );
  const complete = prepared(db, 'completeRow', () =>
    db
      .update(assignments)
      .set({ doneReportId: sql`${sql.placeholder('reportId')}` })
      .where(and(eq(assignments.id, sql.placeholder('assignmentId')), isNull(assignments.doneReportId)))
      .prepare(),
  );
  return inTransaction(db, () => {
    const saved = insert.get({ ...report, onBehalf: report.onBehalf ? 1 : 0 })!;
    const completed = report.kind === 'done' && complete.run({ reportId: saved.id, assignmentId: report.assignmentId }).changes === 1;
    return { reportId: saved.id, completed };
  });
}

export function reportById(db: Queryable, id: number) {
  return db.select().from(reports).where(eq(reports.id, id)).get();
}

/**
 * 撤回: reopens a completed row. The completion stays in history, marked withdrawn; returns
 * false when the row was not completed.
 */
export function withdrawCompletion(db: Ledger, assignmentId: number, by: string, at: string): boolean {
  return inTransaction(db, () => {
    const row = db.select({ done: assignments.doneReportId }).from(assignments).where(eq(assignments.id, assignmentId)).get();
    if (!row?.done) return false;
    db.update(reports).set({ withdrawnAt: at, withdrawnBy: by }).where(eq(reports.id, row.done)).run();
    db.update(assignments).set({ doneReportId: null }).where(eq(assignments.id, assignmentId)).run();
    return true;
  });
}

/**
 * An occurrence started by a reported event (信息形成 on a date), stored with the report that
 * started it; reporting the same event again adds only the report.
 */
export function recordEvent(
  db: Queryable,
  row: { itemId: number; unitId: number; role: 'responsible' | 'lead' | 'cooperating'; occurrence: string; due: string; dueEstimated: boolean },
  report: Omit<NewReport, 'assignmentId' | 'kind'>,
): { assignmentId: number; created: boolean } {
  return db.transaction((tx) => {
    const existing = tx
      .select({ id: assignments.id })
      .from(assignments)
      .where(and(eq(assignments.itemId, row.itemId), eq(assignments.unitId, row.unitId), eq(assignments.occurrence, row.occurrence)))
      .get();
    const assignmentId = existing?.id ?? tx.insert(assignments).values({ ...row, source: 'event' }).returning({ id: assignments.id }).get().id;
    tx.insert(reports).values({ ...report, assignmentId, kind: 'event' }).run();
    return { assignmentId, created: !existing };
  });
}

/** Gives an item's unassigned part to concrete units, for every occurrence the part has. */
export function assignUnits(db: Queryable, itemId: number, unitIds: number[], now: string): number {
  return db.transaction((tx) => {
    const open = tx
      .select()
      .from(assignments)
      .where(and(eq(assignments.itemId, itemId), isNull(assignments.unitId), isNull(assignments.retiredAt)))
      .all();
    const template = open.length ? open : tx.select().from(assignments).where(and(eq(assignments.itemId, itemId), isNull(assignments.retiredAt))).all();
    const occurrences = new Map(template.map((a) => [a.occurrence, a]));
    let added = 0;
    for (const unitId of unitIds) {
      for (const a of occurrences.values()) {
        const r = tx
          .insert(assignments)
          .values({ itemId, unitId, role: a.role, occurrence: a.occurrence, due: a.due, dueEstimated: a.dueEstimated, source: 'coordinator' })
          .onConflictDoNothing()
          .run();
        added += r.changes;
      }
    }
    // the part is assigned now; the coordinator can still add units with another 分配
    if (open.length) tx.update(assignments).set({ retiredAt: now }).where(inArray(assignments.id, open.map((a) => a.id))).run();
    return added;
  });
}

/** Sets the due date of an item's undated rows (及时公开 items), optionally for one unit. */
export function setDue(db: Queryable, itemId: number, due: string, estimated: boolean, unitId?: number): number {
  const cond = [eq(assignments.itemId, itemId), isNull(assignments.retiredAt), isNull(assignments.doneReportId)];
  if (unitId !== undefined) cond.push(eq(assignments.unitId, unitId));
  return db.update(assignments).set({ due, dueEstimated: estimated }).where(and(...cond)).run().changes;
}

/** Whether the plan left part of an item's units unnamed (assigned or not since). */
export function hasUnnamedPart(db: Queryable, itemId: number): boolean {
  return !!db
    .select({ id: assignments.id })
    .from(assignments)
    .where(and(eq(assignments.itemId, itemId), isNull(assignments.unitId)))
    .limit(1)
    .get();
}
