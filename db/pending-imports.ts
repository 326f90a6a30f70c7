import { and, eq } from 'drizzle-orm';
import type { Queryable } from './open.js';
import { pendingImports } from './schema.js';

export type PendingImport = typeof pendingImports.$inferSelect;

const whose = (channel: string, contactId: string) => and(eq(pendingImports.channel, channel), eq(pendingImports.contactId, contactId));

/** Keeps a coordinator's read plan until they confirm; a newer file replaces the one before. */
export function setPendingImport(db: Queryable, row: PendingImport): void {
  db.insert(pendingImports)
    .values(row)
    .onConflictDoUpdate({ target: [pendingImports.channel, pendingImports.contactId], set: { fileName: row.fileName, read: row.read, receivedAt: row.receivedAt } })
    .run();
}

export function pendingImport(db: Queryable, channel: string, contactId: string): PendingImport | undefined {
  return db.select().from(pendingImports).where(whose(channel, contactId)).get();
}

/** Drops a coordinator's pending plan; false when there was none. */
export function dropPendingImport(db: Queryable, channel: string, contactId: string): boolean {
  return db.delete(pendingImports).where(whose(channel, contactId)).run().changes > 0;
}
