import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { writeWhole } from './files.js';
import { LedgerError, type Ledger } from './open.js';

/**
 * Copies the ledger with SQLite's online backup: safe while the bot runs and writes (WAL),
 * the copy is a consistent snapshot.
 */
export async function backupLedger(db: Ledger, to: string): Promise<void> {
  await writeWhole(to, (tmp) => db.$client.backup(tmp).then(() => {}));
}

/** Checks that a file is a sound ledger: readable, integrity ok, with the ledger's tables. */
export function checkLedgerFile(path: string): void {
  let src: Database.Database | undefined;
  try {
    src = new Database(path, { readonly: true, fileMustExist: true });
    const ok = src.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`integrity check says ${ok}`);
    const tables = new Set((src.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name));
    for (const t of ['units', 'items', 'assignments', 'reports', 'liaisons']) if (!tables.has(t)) throw new Error(`it has no ${t} table`);
  } catch (err) {
    throw new LedgerError(`${path} is not a usable ledger backup (${(err as Error).message})`);
  } finally {
    src?.close();
  }
}

/**
 * Replaces the ledger at `target` with the backup at `from` (the bot must be stopped). The
 * ledger it replaces is kept beside it as `<target>.before-restore-<stamp>`, so nothing is lost.
 */
export async function restoreLedger(from: string, target: string, stamp: string): Promise<string | null> {
  checkLedgerFile(from);
  let kept: string | null = null;
  if (existsSync(target)) {
    // fold the write-ahead log into the file before moving it aside
    const old = new Database(target);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    kept = `${target}.before-restore-${stamp}`;
    renameSync(target, kept);
    for (const ext of ['-wal', '-shm']) if (existsSync(target + ext)) renameSync(target + ext, kept + ext);
  }
  const src = new Database(from, { readonly: true });
  try {
    await src.backup(target);
  } finally {
    src.close();
  }
  return kept;
}
