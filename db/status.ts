import { and, asc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Queryable } from './open.js';
import { ruleType } from './queries.js';
import { assignments, items, reports, units } from './schema.js';

export type RowStatus = 'pending' | 'done' | 'overdue' | 'unassigned' | 'notApplicable';

/**
 * The status of a ledger row on a day: overdue once the due date has passed. A row due before
 * the plan was issued (`issueDate`) asked for what should exist already: not applicable, never overdue.
 */
export function rowStatus(row: { unitId: number | null; doneReportId: number | null; due: string | null }, today: string, issueDate: string): RowStatus {
  if (row.doneReportId !== null) return 'done';
  if (row.due !== null && row.due < issueDate) return 'notApplicable';
  if (row.unitId === null) return 'unassigned';
  return row.due !== null && row.due < today ? 'overdue' : 'pending';
}

export type UnitSummary = { unitId: number; unit: string; total: number; done: number; onTime: number; overdue: number; open: number };

const live = (planId: number) => and(eq(items.planId, planId), isNull(items.retiredAt), isNull(assignments.retiredAt));

/** Per unit: rows, done, done on time (by the Asia/Shanghai day), overdue and still open on `today` (see rowStatus); worst first. */
export function unitSummaries(db: Queryable, planId: number, today: string, issueDate: string): UnitSummary[] {
  return db
    .select({
      unitId: units.id,
      unit: units.name,
      total: sql<number>`count(*)`,
      done: sql<number>`sum(${assignments.doneReportId} is not null)`,
      onTime: sql<number>`sum(${assignments.doneReportId} is not null and (${assignments.due} is null or date(${reports.at}, '+8 hours') <= ${assignments.due}))`,
      overdue: sql<number>`sum(${assignments.doneReportId} is null and ${assignments.due} < ${today} and ${assignments.due} >= ${issueDate})`,
      open: sql<number>`sum(${assignments.doneReportId} is null and (${assignments.due} is null or ${assignments.due} >= ${today}))`,
    })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .innerJoin(units, eq(units.id, assignments.unitId))
    .leftJoin(reports, eq(reports.id, assignments.doneReportId))
    .where(live(planId))
    .groupBy(units.id)
    .all()
    .sort((a, b) => b.overdue - a.overdue || a.done / a.total - b.done / b.total || a.unitId - b.unitId);
}

export type LedgerRow = {
  id: number;
  ref: string;
  kind: 'task' | 'checklist' | 'body';
  text: string;
  path: string[];
  unitsText: string;
  deadlineText: string;
  ruleType: string;
  unitId: number | null;
  unit: string | null;
  unassignedLabel: string | null;
  role: 'responsible' | 'lead' | 'cooperating';
  occurrence: string;
  due: string | null;
  dueEstimated: boolean;
  doneReportId: number | null;
  doneAt: string | null;
  doneBy: string | null;
  /** the completion was reported by a coordinator for the unit (代报) */
  doneOnBehalf: boolean | null;
  evidence: string | null;
};

/**
 * Ledger rows with what completed them, in plan order; `where` narrows them. The evidence is
 * the corrected link, or the completion's, or a link sent in a later report when it had none.
 * `before` (an instant) shows the ledger as it stood then: completions reported later are open,
 * and rows started by an event reported later are absent.
 */
export function ledgerRows(db: Queryable, planId: number, where?: SQL, before?: string): LedgerRow[] {
  const done = alias(reports, 'done');
  const asOf = before ?? '9999';
  return db
    .select({
      id: assignments.id,
      ref: items.ref,
      kind: items.kind,
      text: items.text,
      path: items.path,
      unitsText: items.unitsText,
      deadlineText: items.deadlineText,
      ruleType,
      unitId: assignments.unitId,
      unit: units.name,
      unassignedLabel: assignments.unassignedLabel,
      role: assignments.role,
      occurrence: assignments.occurrence,
      due: assignments.due,
      dueEstimated: assignments.dueEstimated,
      doneReportId: done.id,
      doneAt: done.at,
      doneBy: done.authorName,
      doneOnBehalf: done.onBehalf,
      // a correction (更正) of this completion first, then the completion's link, then a later link
      evidence: sql<string | null>`coalesce(
        (select r.evidence from reports r where r.assignment_id = ${assignments.id} and r.kind = 'correction' and r.id > ${done.id} and r.at < ${asOf} order by r.id desc limit 1),
        ${done.evidence},
        (select r.evidence from reports r where r.assignment_id = ${assignments.id} and r.evidence is not null and r.withdrawn_at is null and r.at < ${asOf} order by r.id desc limit 1))`,
    })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .leftJoin(units, eq(units.id, assignments.unitId))
    .leftJoin(done, and(eq(done.id, assignments.doneReportId), lt(done.at, asOf)))
    .where(
      and(
        live(planId),
        where,
        before === undefined
          ? undefined
          : sql`(${assignments.source} <> 'event' or exists (select 1 from reports e where e.assignment_id = ${assignments.id} and e.kind = 'event' and e.at < ${before}))`,
      ),
    )
    .orderBy(asc(items.id), asc(assignments.unitId), sql`${assignments.due} is null`, asc(assignments.due), asc(assignments.id))
    .all();
}

export const forUnit = (unitId: number) => eq(assignments.unitId, unitId);
export const forItem = (itemId: number) => eq(assignments.itemId, itemId);

/** A unit's quarterly self-check rows (长期坚持, 常态化) of one quarter, e.g. '2023-Q3'. */
export const selfChecksOf = (unitId: number, quarter: string) =>
  and(forUnit(unitId), eq(assignments.occurrence, quarter), sql`${ruleType} = 'ongoing'`);

/** Rows not completed yet. */
export const openOnly = isNull(assignments.doneReportId);

/** Open rows the coordinator has still to give a unit. */
export const unassignedOpen = and(isNull(assignments.unitId), openOnly);
