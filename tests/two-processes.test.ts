// Two processes on one ledger, spawned for real: a second bot refuses to start, a CLI write
// refuses while a bot holds the ledger, and two bots racing for rounds lose none and repeat none.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../bot/cli/cli.js';
import { ensurePlan } from '../bot/runtime/setup.js';
import { takeLease } from '../db/lease.js';
import { decideRequest, requestBinding } from '../db/liaisons.js';
import { openLedger } from '../db/open.js';
import { outbox, rounds } from '../db/schema.js';
import { allUnits } from '../db/synthetic.js';
import { seedFiles } from '../seeds/files.js';
import { calendar, directory, recordingIo, tempDir } from './helpers.js';

const root = new URL('..', import.meta.url).pathname;

/** Runs a TypeScript entry point; resolves to its exit code and output lines, or stops it at `until`. */
type Run = { code: number | null; out: string[]; err: string[]; stop: () => Promise<void> };

function run(args: string[], until?: (line: string) => boolean): Promise<Run> {
  const child = spawn('node', ['--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = () => (child.kill('SIGTERM'), exited);
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).on('line', (l) => out.push(l));
    createInterface({ input: child.stderr }).on('line', (l) => {
      err.push(l);
      if (until?.(l)) resolve({ code: null, out, err, stop });
    });
    child.on('exit', (code) => resolve({ code, out, err, stop }));
  });
}

describe('two processes on one ledger', () => {
  it('a second npm start stops with one sentence; after the first stops, a new one starts', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ channel: 'wechaty', puppet: 'wechaty-puppet-mock', coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'], dbPath: db }));
    const connecting = (l: string) => l.includes('"msg":"connecting"');
    const first = await run(['bot/runtime/start.ts', '--config', config], connecting);
    const second = await run(['bot/runtime/start.ts', '--config', config]);
    expect(second.code).toBe(1);
    expect(second.err).toEqual([expect.stringMatching(new RegExp(`^Another bot \\(pid \\d+ on .+, since .+\\) is using the ledger ${db}; stop it first`))]);
    await first.stop();
    // the first released its lease at a clean stop: no waiting for it to expire
    const third = await run(['bot/runtime/start.ts', '--config', config], (l) => connecting(l) || l.includes('Another bot'));
    expect(third.err.join('\n')).not.toContain('Another bot');
    await third.stop();
  }, 120_000);

  it('a CLI import refuses while a bot holds the ledger', async () => {
    const path = join(tempDir(), 'ledger.db');
    const db = openLedger(path);
    takeLease(db, { holder: 'other', pid: 4242, host: 'server' }, new Date(), 180_000);
    db.$client.close();
    const { io, err } = recordingIo(new Date().toISOString());
    expect(await main(['import', '--db', path], io)).toBe(1);
    expect(err).toEqual([`The bot (pid 4242 on server) is using the ledger ${path}; stop it first, or do this in the chat.`]);
  });

  it('two bots racing for ten days of rounds: every day runs once, none is lost, nothing goes twice', async () => {
    const path = join(tempDir(), 'ledger.db');
    const db = openLedger(path);
    ensurePlan(db, seedFiles.plan, directory, calendar, '2023-08-10T01:00:00Z');
    for (const u of allUnits(db)) {
      const r = requestBinding(db, { contactId: `c-${u.id}`, name: `联络员${u.id}`, unitId: u.id, now: '2023-08-10T01:00:00Z' });
      decideRequest(db, r.binding.id, 'approved', '张主任', '2023-08-10T01:00:00Z');
    }
    const days = Array.from({ length: 10 }, (_, i) => calendar.workdaysAfter('2023-09-01', i).date);
    const sent: string[] = [];
    for (const day of days) {
      const both = await Promise.all([run(['tests/round-worker.ts', path, day]), run(['tests/round-worker.ts', path, day])]);
      for (const r of both) {
        expect(r.out.at(-1), r.err.join('\n')).toBe('DONE');
        sent.push(...r.out.filter((l) => l.startsWith('SENT ')));
      }
    }
    expect(db.select().from(rounds).all().map((r) => r.day)).toEqual(days);
    // every message queued went out, once: none left behind, none sent by both
    expect(db.select().from(outbox).all().filter((m) => m.status !== 'sent')).toEqual([]);
    expect(sent.length).toBe(db.select().from(outbox).all().length);
    expect(sent.filter((l, i) => sent.indexOf(l) !== i)).toEqual([]);
    expect(sent.filter((l) => l.startsWith('SENT 【政务公开提醒】')).length).toBeGreaterThan(days.length);
    db.$client.close();
  }, 300_000);
});
