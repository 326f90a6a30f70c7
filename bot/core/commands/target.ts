import { unitByName } from '../../../db/liaisons.js';
import { itemByRef, rowsForItem, type AssignmentView, type ItemRow } from '../../../db/reports.js';
import { text } from '../text/messages.js';
import type { CommandContext, Reply } from './context.js';

/**
 * One item of one unit, with that unit's rows (earliest due first). `onBehalf`: a coordinator
 * acts for a unit they are not the liaison of (代报).
 */
export type Target = { item: ItemRow; unitId: number; unit: string; rows: AssignmentView[]; onBehalf: boolean };

/**
 * Finds the item the actor reports on: for their own unit, or for the unit a coordinator names.
 * A liaison of several units that all have the item must name the unit.
 */
export function findTarget(ctx: CommandContext, ref: string, unit: string | null, example: (unit: string) => string): Target | Reply {
  const item = itemByRef(ctx.db, ctx.plan.id, ref);
  if (!item) return { text: text.unknownRef(ref) };
  const mine = unit === null ? ctx.bindings : ctx.bindings.filter((b) => b.unit === unit);
  if (ctx.isCoordinator && mine.length === 0) {
    const named = unit === null ? undefined : unitByName(ctx.db, unit);
    if (!named) return { text: text.onBehalfNeedsUnit(example('单位名称')) };
    const rows = rowsForItem(ctx.db, item.id, [named.id]);
    if (rows.length === 0) return { text: text.notTheirItem(ref, named.name) };
    return { item, unitId: named.id, unit: named.name, rows, onBehalf: true };
  }
  if (unit !== null && mine.length === 0) return { text: text.notYourUnit(unit) };
  const rows = rowsForItem(ctx.db, item.id, mine.map((b) => b.unitId));
  const units = [...new Set(rows.map((r) => r.unit!))];
  if (units.length === 0) return { text: text.notYourItem(ref) };
  if (units.length > 1) return { text: text.whichUnit(ref, units, example(units[0]!)) };
  const chosen = mine.find((b) => b.unit === units[0])!;
  return { item, unitId: chosen.unitId, unit: chosen.unit, rows, onBehalf: false };
}

export const isReply = (t: Target | Reply): t is Reply => 'text' in t;

/** How a reply names the target's unit: 县商务局, or 县商务局（协调员代报）. */
export const targetUnit = (t: Target) => (t.onBehalf ? text.onBehalf(t.unit) : t.unit);
