import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { prepared, type Queryable } from './open.js';
import { liaisons, units } from './schema.js';

export type LiaisonRow = typeof liaisons.$inferSelect;
export type BindingView = LiaisonRow & { unit: string };

const withUnit = (db: Queryable) =>
  db
    .select({ liaison: liaisons, unit: units.name })
    .from(liaisons)
    .innerJoin(units, eq(units.id, liaisons.unitId));

const flatten = (rows: { liaison: LiaisonRow; unit: string }[]): BindingView[] => rows.map((r) => ({ ...r.liaison, unit: r.unit }));

export function unitByName(db: Queryable, name: string) {
  return db.select().from(units).where(eq(units.name, name)).get();
}

/** The units a contact acts for (approved bindings), in the order they were bound. */
export function approvedBindings(db: Queryable, contactId: string): BindingView[] {
  const stmt = prepared(db, 'approvedBindings', () =>
    withUnit(db)
      .where(and(eq(liaisons.contactId, sql.placeholder('contactId')), eq(liaisons.status, 'approved')))
      .orderBy(asc(liaisons.id))
      .prepare(),
  );
  return flatten(stmt.all({ contactId }));
}

/** An approved liaison as reminders and the ledger name them. */
export type Recipient = { contactId: string; name: string; unitId: number };

/** Approved liaisons by unit, in the order they were bound; only of `unitIds` when given. */
export function liaisonsByUnit(db: Queryable, unitIds?: number[]): Map<number, Recipient[]> {
  const out = new Map<number, Recipient[]>();
  if (unitIds?.length === 0) return out;
  const rows = db
    .select({ contactId: liaisons.contactId, name: liaisons.name, unitId: liaisons.unitId })
    .from(liaisons)
    .where(
      and(
        eq(liaisons.status, 'approved'),
        unitIds ? sql`${liaisons.unitId} in (select value from json_each(${JSON.stringify(unitIds)}))` : undefined,
      ),
    )
    .orderBy(asc(liaisons.id))
    .all();
  for (const l of rows) {
    const list = out.get(l.unitId);
    if (list) list.push(l);
    else out.set(l.unitId, [l]);
  }
  return out;
}

export type BindRequest =
  | { outcome: 'requested'; binding: BindingView }
  | { outcome: 'already-pending' | 'already-bound'; binding: BindingView };

/** A contact asks to act for a unit; the coordinator decides. */
export function requestBinding(db: Queryable, req: { contactId: string; name: string; unitId: number; now: string }): BindRequest {
  return db.transaction((tx) => {
    const existing = flatten(
      withUnit(tx)
        .where(and(eq(liaisons.contactId, req.contactId), eq(liaisons.unitId, req.unitId), inArray(liaisons.status, ['pending', 'approved'])))
        .all(),
    )[0];
    if (existing) return { outcome: existing.status === 'approved' ? 'already-bound' : 'already-pending', binding: existing };
    const row = tx
      .insert(liaisons)
      .values({ contactId: req.contactId, name: req.name, unitId: req.unitId, status: 'pending', requestedAt: req.now })
      .returning()
      .get();
    const unit = tx.select().from(units).where(eq(units.id, req.unitId)).get()!;
    return { outcome: 'requested', binding: { ...row, unit: unit.name } };
  });
}

/** Pending requests whose number or requester name matches `who`. */
export function pendingRequests(db: Queryable, who?: string): BindingView[] {
  const rows = flatten(withUnit(db).where(eq(liaisons.status, 'pending')).orderBy(asc(liaisons.id)).all());
  if (who === undefined) return rows;
  return rows.filter((r) => String(r.id) === who.replace(/^#/, '') || r.name === who);
}

/**
 * Approves or rejects one pending request. Approving someone who writes from a new contact id
 * (a re-login) retires their binding under the old id for that unit.
 */
export function decideRequest(db: Queryable, id: number, status: 'approved' | 'rejected', by: string, now: string): void {
  db.transaction((tx) => {
    const req = tx.select().from(liaisons).where(and(eq(liaisons.id, id), eq(liaisons.status, 'pending'))).get();
    if (!req) return;
    tx.update(liaisons).set({ status, decidedAt: now, decidedBy: by }).where(eq(liaisons.id, id)).run();
    if (status !== 'approved') return;
    tx.update(liaisons)
      .set({ status: 'revoked', decidedAt: now, decidedBy: by })
      .where(
        and(eq(liaisons.name, req.name), eq(liaisons.unitId, req.unitId), eq(liaisons.status, 'approved'), ne(liaisons.contactId, req.contactId)),
      )
      .run();
  });
}

/** Approved bindings of a person (by display name at binding time), optionally for one unit. */
export function bindingsByName(db: Queryable, name: string, unitId?: number): BindingView[] {
  const cond = [eq(liaisons.name, name), eq(liaisons.status, 'approved')];
  if (unitId !== undefined) cond.push(eq(liaisons.unitId, unitId));
  return flatten(withUnit(db).where(and(...cond)).orderBy(asc(liaisons.id)).all());
}

export function revokeBindings(db: Queryable, ids: number[], by: string, now: string): void {
  if (ids.length === 0) return;
  db.update(liaisons).set({ status: 'revoked', decidedAt: now, decidedBy: by }).where(inArray(liaisons.id, ids)).run();
}

/**
 * Approved bindings made under this display name by another contact: after a re-login that
 * changed contact ids, the same person (or someone using their name) writes from a new id.
 */
export function bindingsUnderOtherContact(db: Queryable, name: string, contactId: string): BindingView[] {
  return flatten(
    withUnit(db)
      .where(and(eq(liaisons.name, name), eq(liaisons.status, 'approved'), ne(liaisons.contactId, contactId)))
      .all(),
  );
}

/**
 * The contacts a name stands for, among pending requests and approved bindings: approving by
 * name is safe only when it is one contact (someone may have taken a liaison's name).
 */
export function contactsNamed(db: Queryable, name: string): string[] {
  const rows = db
    .selectDistinct({ contactId: liaisons.contactId })
    .from(liaisons)
    .where(and(eq(liaisons.name, name), inArray(liaisons.status, ['pending', 'approved'])))
    .all();
  return rows.map((r) => r.contactId);
}

/** How many binding requests a contact filed since an instant (a stranger's are limited a day). */
export function requestsSince(db: Queryable, contactId: string, since: string): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(liaisons)
    .where(and(eq(liaisons.contactId, contactId), sql`${liaisons.requestedAt} >= ${since}`))
    .get()!.n;
}
