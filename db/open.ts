import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { seedFiles } from '../seeds/files.js';
import * as schema from './schema.js';

export type Ledger = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The ledger or a transaction on it: what query helpers take. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

/** The database cannot be used; the message is one plain sentence. */
export class LedgerError extends Error {}


/**
 * Opens (creating it on first use) and migrates the ledger database: WAL, foreign keys on.
 */
export function openLedger(path: string): Ledger {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let client: Database.Database | undefined;
  try {
    client = new Database(path);
    client.pragma('journal_mode = WAL');
    client.pragma('foreign_keys = ON');
    client.pragma('busy_timeout = 5000');
    const db = drizzle(client, { schema });
    migrate(db, { migrationsFolder: seedFiles.migrations });
    return db;
  } catch (err) {
    client?.close();
    throw new LedgerError(`${path} cannot be used as a ledger database (${(err as Error).message})`);
  }
}

const statements = new WeakMap<object, Map<string, unknown>>();

/**
 * A prepared statement built once per database: hot queries (every chat report) skip drizzle's
 * query building. `build` must only use placeholders, never values.
 */
export function prepared<T>(db: Queryable, name: string, build: () => T): T {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(name) as T | undefined;
  if (stmt === undefined) cache.set(name, (stmt = build()));
  return stmt;
}
