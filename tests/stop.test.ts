import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../db/open.js';
import { tempDir } from './helpers.js';

const root = new URL('..', import.meta.url).pathname;

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops cleanly on %s: logs it, closes the ledger, exits 0', async (signal) => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    const db = join(dir, 'ledger.db');
    writeFileSync(config, JSON.stringify({ channel: 'wechaty', puppet: 'wechaty-puppet-mock', coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'], dbPath: db, puppetToken: 'secret-token' }));
    const child = spawn('node', ['--import', 'tsx', 'bot/runtime/start.ts', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => {
      log.push(l);
      if (l.includes('"msg":"connecting"')) child.kill(signal);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const events = log.map((l) => JSON.parse(l) as { msg: string; signal?: string });
    expect(events.map((e) => e.msg)).toContain('imported the plan into the empty ledger');
    expect(events.find((e) => e.msg === 'stopping')).toMatchObject({ signal });
    expect(log.join('\n')).not.toContain('secret-token');
    // closed cleanly: the write-ahead log was folded back into the database
    expect(existsSync(`${db}-wal`)).toBe(false);
    const ledger = openLedger(db);
    expect(ledger.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    ledger.$client.close();
  }, 60_000);
});
