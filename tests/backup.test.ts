import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../bot/cli/cli.js';
import { openLedger } from '../db/open.js';
import { reports } from '../db/schema.js';
import { recordingIo, tempDir } from './helpers.js';

describe('backup and restore', () => {
  it('backs up while the ledger is being written, and restores keeping the replaced ledger', async () => {
    const dir = tempDir();
    const live = join(dir, 'ledger.db');
    expect(await main(['import', '--db', live], recordingIo().io)).toBe(0);
    const db = openLedger(live);
    const add = (n: number) =>
      db.$client
        .prepare("insert into reports (assignment_id, kind, note, author_contact_id, author_name, raw_text, at) values (1, 'progress', ?, 'c', '王芳', 'x', 't')")
        .run(`note ${n}`);
    add(1);
    // writes go on between the backup's steps, as they would from the running bot
    let writes = 0;
    const writer = setInterval(() => add(100 + writes++), 0);
    const { io, out } = recordingIo();
    expect(await main(['backup', '--db', live, '--out', join(dir, 'backups', 'b1.db')], io)).toBe(0);
    clearInterval(writer);
    expect(out).toEqual([`Backed up the ledger to ${join(dir, 'backups', 'b1.db')}.`]);
    add(2); // after the backup: gone once the backup is restored
    db.$client.close();

    const restored = recordingIo();
    expect(await main(['restore', '--db', live, '--from', join(dir, 'backups', 'b1.db')], restored.io)).toBe(0);
    expect(restored.out[0]).toMatch(/^Restored .*ledger\.db from .*b1\.db\. The ledger it replaced is kept as .*ledger\.db\.before-restore-/);
    const back = openLedger(live);
    const notes = back.select().from(reports).all().map((r) => r.note);
    expect(notes).toContain('note 1');
    expect(notes).not.toContain('note 2');
    expect(back.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    back.$client.close();
    const kept = restored.out[0]!.split('kept as ')[1]!.replace(/\.$/, '');
    expect(existsSync(kept)).toBe(true);
    const old = openLedger(kept);
    expect(old.select().from(reports).all().map((r) => r.note)).toContain('note 2');
    old.$client.close();
  });

  it('refuses to restore from a file that is not a ledger, and changes nothing', async () => {
    const dir = tempDir();
    const live = join(dir, 'ledger.db');
    await main(['import', '--db', live], recordingIo().io);
    writeFileSync(join(dir, 'notes.db'), 'not a database at all, just text that is long enough to be read as a header');
    const { io, err } = recordingIo();
    expect(await main(['restore', '--db', live, '--from', join(dir, 'notes.db')], io)).toBe(1);
    expect(err[0]).toMatch(/notes\.db is not a usable ledger backup/);
    const db = openLedger(live);
    expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    db.$client.close();
  });
});
