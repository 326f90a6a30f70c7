import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { seedFiles } from '../seeds/files.js';
import { PRIVATE_FILE, privateDir } from './files.js';
import * as schema from './schema.js';

export type Ledger = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The ledger or a transaction on it: what query helpers take. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

/** The database cannot be used; the message is one plain sentence. */
export class LedgerError extends Error {}

/**
 * Opens (creating it on first use, unless `create` is false) and migrates the ledger database:
 * WAL, foreign keys on.
 */
export function openLedger(path: string, { create = true } = {}): Ledger {
  let client: Database.Database | undefined;
  try {
    if (path !== ':memory:') {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) throw new LedgerError(`${path} is a folder, not a ledger database`);
      if (!stat && !create) throw new LedgerError(`There is no ledger at ${path}`);
      privateDir(dirname(path));
    }
    client = new Database(path, { fileMustExist: !create });
    // before the first write: SQLite gives its -wal and -shm files the database file's mode
    if (path !== ':memory:') chmodSync(path, PRIVATE_FILE);
    client.pragma('journal_mode = WAL');
    client.pragma('foreign_keys = ON');
    client.pragma('busy_timeout = 5000');
    // the bot checkpoints on its minute tick (checkpoint below); this is only a safety net, so
    // a chat reply's commit rarely pays for copying the log back into the database
    client.pragma('wal_autocheckpoint = 10000');
    refuseNewerSchema(client, path);
    const db = drizzle(client, { schema });
    migrate(db, { migrationsFolder: seedFiles.migrations });
    return db;
  } catch (err) {
    client?.close();
    if (err instanceof LedgerError) throw err;
    throw new LedgerError(`${path} cannot be used as a ledger database (${(err as Error).message})`);
  }
}

/**
 * A ledger migrated by a newer release has tables and columns this one does not know: every
 * write would fail. Refused at once, in a sentence.
 */
function refuseNewerSchema(client: Database.Database, path: string): void {
  const known = client.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!known) return;
  const { latest } = client.prepare('select max(created_at) as latest from __drizzle_migrations').get() as { latest: number | null };
  const journal = JSON.parse(readFileSync(join(seedFiles.migrations, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const ours = Math.max(...journal.entries.map((e) => e.when));
  if (latest !== null && latest > ours) {
    throw new LedgerError(`${path} was written by a newer release of the bot; update the bot before using this ledger`);
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

const runners = new WeakMap<Database.Database, Database.Transaction<(fn: () => unknown) => unknown>>();

/**
 * Runs `fn` in one transaction of the ledger; 'immediate' takes the write lock first. Nested
 * transactions inside become savepoints. The wrapper is built once per database: better-sqlite3
 * builds a new one on every `transaction()` call, a cost paid on each chat message otherwise.
 */
export function inTransaction<T>(db: Ledger, fn: () => T, behavior: 'deferred' | 'immediate' = 'deferred'): T {
  let run = runners.get(db.$client);
  if (!run) runners.set(db.$client, (run = db.$client.transaction((f: () => unknown) => f())));
  return run[behavior](fn) as T;
}

/** Copies the write-ahead log back into the database file as far as readers allow (never waits). */
export function checkpoint(db: Ledger): void {
  db.$client.pragma('wal_checkpoint(PASSIVE)');
}
