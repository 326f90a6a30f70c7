import { chmodSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What the ledger, exports, backups and login state hold is the county's: only the bot's user reads it. */
export const PRIVATE_FILE = 0o600;

/** Makes a folder for such files, readable by the bot's user only (an existing folder is left as it is). */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed into place once
 * complete. A crash (kill -9) mid-write leaves the previous file as it was, never a truncated one.
 * The file is readable by the bot's user only.
 */
export async function writeWhole(path: string, write: (tmp: string) => void | Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await write(tmp);
    chmodSync(tmp, PRIVATE_FILE);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
