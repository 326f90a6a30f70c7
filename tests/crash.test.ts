import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../db/open.js';
import { reports } from '../db/schema.js';
import { tempDir } from './helpers.js';

const root = new URL('..', import.meta.url).pathname;
const LAST = 24;

/** A small seeded generator, so a failing run can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
}

type Run = { lines: string[]; killed: boolean };

/** Runs the worker; kills it with SIGKILL after `killAfterLines` lines or `killAfterMs`, if given. */
function runWorker(db: string, first: number, kill?: { lines?: number; ms?: number }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('node', ['--import', 'tsx', 'tests/crash-worker.ts', db, String(first), String(LAST)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let killed = false;
    const killNow = () => {
      if (!killed && child.exitCode === null) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line === 'READY' && kill?.ms !== undefined) setTimeout(killNow, kill.ms);
      if (kill?.lines !== undefined && lines.length > kill.lines) killNow();
    });
    child.on('exit', () => resolve({ lines, killed }));
  });
}

describe('crash consistency', () => {
  it('keeps every acknowledged report and sends no round twice when the bot is killed at random', async () => {
    const seed = Date.now() % 100_000;
    const random = lcg(seed);
    const db = join(tempDir(), 'ledger.db');
    const acked = new Set<number>();
    const sent: string[] = [];
    let next = 1;
    let kills = 0;
    for (let attempt = 0; attempt < 6 && next <= LAST; attempt++) {
      // half the kills land between messages, half at a random instant (mid-transaction, mid-send)
      const kill = attempt % 2 ? { lines: 1 + random(6) } : { ms: 50 + random(400) };
      const run = await runWorker(db, next, kill);
      if (run.killed) kills++;
      for (const l of run.lines) {
        if (l.startsWith('ACK ')) acked.add(Number(l.slice(4)));
        if (l.startsWith('SENT ')) sent.push(l.slice(5));
      }
      next = acked.size ? Math.max(...acked) + 1 : next;
    }
    const final = await runWorker(db, next);
    expect(final.lines.at(-1), `seed ${seed}`).toBe('DONE');
    for (const l of final.lines) {
      if (l.startsWith('ACK ')) acked.add(Number(l.slice(4)));
      if (l.startsWith('SENT ')) sent.push(l.slice(5));
    }
    expect(kills, `seed ${seed}`).toBeGreaterThan(2);

    const ledger = openLedger(db);
    expect(ledger.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    const notes = new Set(ledger.select().from(reports).all().map((r) => r.note));
    const lost = [...acked].filter((i) => !notes.has(`note-${i}`));
    expect(lost, `seed ${seed}`).toEqual([]);
    for (let i = 1; i <= LAST; i++) expect(acked.has(i) || notes.has(`note-${i}`), `report ${i}, seed ${seed}`).toBe(true);
    // every round went out at most once, across all the kills and restarts
    expect(sent.length).toBeGreaterThan(5);
    expect(sent.filter((s, i) => sent.indexOf(s) !== i), `seed ${seed}`).toEqual([]);
    const keys = ledger.$client.prepare('select count(*) n, count(distinct key) d from reminders').get() as { n: number; d: number };
    expect(keys.n).toBe(keys.d);
    ledger.$client.close();
  }, 180_000);
});
