import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/**
 * Keeps a file someone sent the bot under `dir`, readable by the bot's user only, named by the
 * message id: the sender's file name is for display and never makes the path. The extension
 * stays, as it tells the reader an old .doc from a .docx.
 */
export function keepFile(dir: string, messageId: string, name: string, bytes: Buffer): { name: string; path: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${messageId.replace(/[^\w-]/g, '_')}${extname(name).replace(/[^\w.]/g, '')}`);
  writeFileSync(path, bytes, { mode: 0o600 });
  return { name: basename(name), path };
}
