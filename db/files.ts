import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed into place once
 * complete. A crash (kill -9) mid-write leaves the previous file as it was, never a truncated one.
 */
export async function writeWhole(path: string, write: (tmp: string) => void | Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await write(tmp);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
