import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { prepared, type Queryable } from './open.js';
import { contactsSeen } from './schema.js';

export type Seen = typeof contactsSeen.$inferSelect;

/** Notes that a contact spoke in a conversation (in the transaction of the message's handling). */
export function recordSeen(db: Queryable, seen: Seen): void {
  const upsert = prepared(db, 'recordSeen', () =>
    db
      .insert(contactsSeen)
      .values({
        channel: sql.placeholder('channel'),
        contactId: sql.placeholder('contactId'),
        conversationId: sql.placeholder('conversationId'),
        kind: sql.placeholder('kind'),
        name: sql.placeholder('name'),
        coordinator: sql.placeholder('coordinator'),
        lastAt: sql.placeholder('lastAt'),
      })
      .onConflictDoUpdate({
        target: [contactsSeen.channel, contactsSeen.contactId, contactsSeen.conversationId],
        set: { name: sql`excluded.name`, coordinator: sql`excluded.coordinator`, lastAt: sql`excluded.last_at` },
      })
      .prepare(),
  );
  upsert.run({ ...seen, coordinator: seen.coordinator ? 1 : 0 });
}

/** Each contact's group: the one they last spoke in on this channel (absent: none seen). */
export function groupsOf(db: Queryable, channel: string, contactIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (contactIds.length === 0) return out;
  const rows = db
    .select({ contactId: contactsSeen.contactId, conversationId: contactsSeen.conversationId })
    .from(contactsSeen)
    .where(and(eq(contactsSeen.channel, channel), eq(contactsSeen.kind, 'room'), inArray(contactsSeen.contactId, contactIds)))
    .orderBy(desc(contactsSeen.lastAt))
    .all();
  for (const r of rows) if (!out.has(r.contactId)) out.set(r.contactId, r.conversationId);
  return out;
}

/**
 * The group to tell coordinators in: `preferred` when a coordinator spoke there, else the group
 * a coordinator spoke in last; with the coordinators heard there. Null: none heard in a group.
 */
export function coordinatorGroup(db: Queryable, channel: string, preferred?: string): { conversationId: string; contactIds: string[] } | null {
  const rows = db
    .select({ contactId: contactsSeen.contactId, conversationId: contactsSeen.conversationId })
    .from(contactsSeen)
    .where(and(eq(contactsSeen.channel, channel), eq(contactsSeen.kind, 'room'), eq(contactsSeen.coordinator, true)))
    .orderBy(desc(contactsSeen.lastAt))
    .all();
  const conversationId = rows.some((r) => r.conversationId === preferred) ? preferred! : rows[0]?.conversationId;
  if (conversationId === undefined) return null;
  return { conversationId, contactIds: [...new Set(rows.filter((r) => r.conversationId === conversationId).map((r) => r.contactId))] };
}

/** Where and when a contact was last heard on a channel (null: never). */
export function lastHeard(db: Queryable, channel: string, contactId: string): Seen | null {
  return (
    db
      .select()
      .from(contactsSeen)
      .where(and(eq(contactsSeen.channel, channel), eq(contactsSeen.contactId, contactId)))
      .orderBy(desc(contactsSeen.lastAt))
      .limit(1)
      .get() ?? null
  );
}
