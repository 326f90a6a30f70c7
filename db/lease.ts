import { eq, sql } from 'drizzle-orm';
import { inTransaction, type Ledger } from './open.js';
import { leases } from './schema.js';

export type Lease = typeof leases.$inferSelect;
export type LeaseHolder = Pick<Lease, 'holder' | 'pid' | 'host'>;

/** The running bot's lease on its ledger. */
const BOT = 'bot';

/** The lease a live bot holds on this ledger, if any. */
export function liveLease(db: Ledger, now: Date): Lease | undefined {
  return db
    .select()
    .from(leases)
    .where(sql`${leases.name} = ${BOT} and ${leases.expiresAt} > ${now.toISOString()}`)
    .get();
}

/**
 * Takes the bot's lease, or renews it, for `ttlMs`: refused (the holder returned) while another
 * holder's lease has not expired.
 */
export function takeLease(db: Ledger, me: LeaseHolder, now: Date, ttlMs: number): Lease | null {
  return inTransaction(
    db,
    () => {
      const held = liveLease(db, now);
      if (held && held.holder !== me.holder) return held;
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      db.insert(leases)
        .values({ name: BOT, ...me, acquiredAt: now.toISOString(), expiresAt })
        .onConflictDoUpdate({
          target: leases.name,
          set: { ...me, expiresAt, acquiredAt: held ? held.acquiredAt : now.toISOString() },
        })
        .run();
      return null;
    },
    'immediate',
  );
}

/** Gives the lease up at a clean stop, so the next start need not wait for it to expire. */
export function releaseLease(db: Ledger, me: LeaseHolder): void {
  db.delete(leases).where(sql`${leases.name} = ${BOT} and ${eq(leases.holder, me.holder)}`).run();
}
