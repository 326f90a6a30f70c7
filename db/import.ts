import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Plan } from '../seeds/plan-types.js';
import type { UnitDirectory } from '../seeds/units.js';
import type { AssignmentSpec } from '../schedules/assignments.js';
import type { Ledger, Queryable } from './open.js';
import { assignments, items, plans, units } from './schema.js';

export type ImportSummary = {
  year: number;
  issueDate: string;
  tasks: number;
  checklist: number;
  body: number;
  units: number;
  added: number;
  updated: number;
  retired: number;
};

const rowKey = (itemId: number, unitId: number | null, label: string | null, occurrence: string) =>
  `${itemId}|${unitId ?? ''}|${label ?? ''}|${occurrence}`;

/** Adds the directory's units; a unit already there keeps its id (and so its history). */
function saveUnits(tx: Queryable, directory: UnitDirectory): Map<string, number> {
  for (const u of directory.units) {
    tx.insert(units).values(u).onConflictDoUpdate({ target: units.name, set: { kind: u.kind } }).run();
  }
  return new Map(tx.select({ id: units.id, name: units.name }).from(units).all().map((u) => [u.name, u.id]));
}

function saveItems(tx: Queryable, planId: number, plan: Plan, now: string): { ids: Map<string, number>; updated: number; retired: number } {
  const existing = new Map(tx.select().from(items).where(eq(items.planId, planId)).all().map((i) => [i.ref, i]));
  let updated = 0;
  let retired = 0;
  for (const item of plan.items) {
    const values = {
      planId,
      ref: item.ref,
      kind: item.kind,
      path: item.path,
      text: item.text,
      unitsText: item.unitsText,
      lead: item.assignment.lead,
      deadlineText: item.deadlineText,
      rule: item.rule,
      retiredAt: null,
    };
    const old = existing.get(item.ref);
    if (!old) {
      tx.insert(items).values(values).run();
      continue;
    }
    const changed = (Object.keys(values) as (keyof typeof values)[]).some(
      (k) => JSON.stringify(old[k]) !== JSON.stringify(values[k]),
    );
    if (changed) {
      tx.update(items).set(values).where(eq(items.id, old.id)).run();
      updated++;
    }
  }
  const refs = new Set(plan.items.map((i) => i.ref));
  for (const old of existing.values()) {
    if (!refs.has(old.ref) && !old.retiredAt) {
      tx.update(items).set({ retiredAt: now }).where(eq(items.id, old.id)).run();
      retired++;
    }
  }
  const ids = new Map(tx.select({ id: items.id, ref: items.ref }).from(items).where(eq(items.planId, planId)).all().map((i) => [i.ref, i.id]));
  return { ids, updated, retired };
}

/**
 * Brings the ledger in step with a plan, in one transaction. Importing the same plan again
 * changes nothing; an edited plan updates items and rows, and rows the plan no longer has are
 * retired, never deleted, so no report is lost.
 */
export function savePlan(db: Ledger, plan: Plan, specs: AssignmentSpec[], directory: UnitDirectory, now: string): ImportSummary {
  return db.transaction((tx) => {
    const unitIds = saveUnits(tx, directory);
    tx.insert(plans)
      .values({ year: plan.year, title: plan.title, issueDate: plan.issueDate, importedAt: now })
      .onConflictDoUpdate({ target: plans.year, set: { title: plan.title, issueDate: plan.issueDate } })
      .run();
    const planId = tx.select({ id: plans.id }).from(plans).where(eq(plans.year, plan.year)).get()!.id;
    const saved = saveItems(tx, planId, plan, now);
    const itemIds = [...saved.ids.values()];

    const existing = new Map(
      tx
        .select()
        .from(assignments)
        .where(and(inArray(assignments.itemId, itemIds), eq(assignments.source, 'plan')))
        .all()
        .map((a) => [rowKey(a.itemId, a.unitId, a.unassignedLabel, a.occurrence), a]),
    );
    let added = 0;
    let updated = saved.updated;
    const wanted = new Set<string>();
    // thousands of rows: one prepared statement rather than a query built per row
    const insert = tx
      .insert(assignments)
      .values({
        itemId: sql.placeholder('itemId'),
        unitId: sql.placeholder('unitId'),
        unassignedLabel: sql.placeholder('unassignedLabel'),
        role: sql.placeholder('role'),
        occurrence: sql.placeholder('occurrence'),
        due: sql.placeholder('due'),
        dueEstimated: sql.placeholder('dueEstimated'),
      })
      .prepare();
    for (const spec of specs) {
      const itemId = saved.ids.get(spec.ref)!;
      const unitId = spec.unit === null ? null : unitIds.get(spec.unit);
      if (unitId === undefined) throw new Error(`${spec.ref} names the unit ${spec.unit}, which is not in the unit directory`);
      const key = rowKey(itemId, unitId, spec.unassignedLabel, spec.occurrence);
      wanted.add(key);
      const old = existing.get(key);
      // a date the coordinator set (期限) survives a plan that gives none
      const due = spec.due ?? old?.due ?? null;
      if (!old) {
        insert.run({ itemId, unitId, unassignedLabel: spec.unassignedLabel, role: spec.role, occurrence: spec.occurrence, due, dueEstimated: spec.estimated });
        added++;
      } else if (old.role !== spec.role || old.due !== due || old.dueEstimated !== spec.estimated || old.retiredAt) {
        tx.update(assignments)
          .set({ role: spec.role, due, dueEstimated: spec.estimated, retiredAt: null })
          .where(eq(assignments.id, old.id))
          .run();
        updated++;
      }
    }
    let retired = saved.retired;
    for (const [key, old] of existing) {
      if (!wanted.has(key) && !old.retiredAt) {
        tx.update(assignments).set({ retiredAt: now }).where(and(eq(assignments.id, old.id), isNull(assignments.retiredAt))).run();
        retired++;
      }
    }
    const count = (kind: string) => plan.items.filter((i) => i.kind === kind).length;
    return {
      year: plan.year,
      issueDate: plan.issueDate,
      tasks: count('task'),
      checklist: count('checklist'),
      body: count('body'),
      units: directory.units.length,
      added,
      updated,
      retired,
    };
  });
}
