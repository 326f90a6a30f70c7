import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { ruleSchema } from '../seeds/plan-types.js';
import type { ItemRow } from '../schedules/preview.js';
import { prepared, type Queryable } from './open.js';
import { assignments, items, plans, units } from './schema.js';

export type PlanRow = typeof plans.$inferSelect;

/** An item's due-date rule type (fixed, ongoing …) read from its JSON rule in SQL. */
export const ruleType = sql<string>`json_extract(${items.rule}, '$.type')`;

/** The newest plan in the ledger, or undefined when nothing was imported yet. */
export function currentPlan(db: Queryable): PlanRow | undefined {
  // max() by the year index; `order by … limit ?` would sort on every call (each chat message asks)
  return prepared(db, 'currentPlan', () =>
    db
      .select()
      .from(plans)
      .where(eq(plans.year, sql`(select max(${plans.year}) from ${plans})`))
      .prepare(),
  ).get();
}

/** An item as the ledger holds it: what `items --json` shows, with its row id and without a due date. */
export type ItemView = Omit<ItemRow, 'due'> & { id: number };

/** The plan's live items in document order, each with the units it is assigned to. */
export function listItems(db: Queryable, planId: number): ItemView[] {
  const rows = db
    .select({
      item: items,
      unit: units.name,
      label: assignments.unassignedLabel,
    })
    .from(items)
    .leftJoin(assignments, and(eq(assignments.itemId, items.id), isNull(assignments.retiredAt)))
    .leftJoin(units, eq(units.id, assignments.unitId))
    .where(and(eq(items.planId, planId), isNull(items.retiredAt)))
    .orderBy(asc(items.id), asc(assignments.id))
    .all();
  const byId = new Map<number, ItemView>();
  for (const { item, unit, label } of rows) {
    let view = byId.get(item.id);
    if (!view) {
      view = {
        id: item.id,
        ref: item.ref,
        kind: item.kind,
        path: item.path,
        text: item.text,
        unitsText: item.unitsText,
        units: [],
        lead: item.lead,
        unassigned: [],
        deadlineText: item.deadlineText,
        rule: ruleSchema.parse(item.rule),
      };
      byId.set(item.id, view);
    }
    if (unit && !view.units.includes(unit)) view.units.push(unit);
    if (label && !view.unassigned.includes(label)) view.unassigned.push(label);
  }
  return [...byId.values()];
}
