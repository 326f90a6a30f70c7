import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

  it('says in one sentence, without a stack or a secret, why it cannot start', () => {
    const dir = tempDir();
    const secrets = { puppetToken: 'puppet-SECRET-1', wecom: { botId: 'b', secret: 'wecom-SECRET-2' }, dingtalk: { clientSecret: 'ding-SECRET-3' } };
    const config = (name: string, body: object | string) => {
      const path = join(dir, name);
      writeFileSync(path, typeof body === 'string' ? body : JSON.stringify({ channel: 'wechaty', puppet: 'wechaty-puppet-mock', coordinators: [{ name: '张主任' }], rooms: ['群'], ...secrets, ...body }));
      return path;
    };
    mkdirSync(join(dir, 'folder.db'));
    writeFileSync(join(dir, 'notes.db'), 'x'.repeat(4096));
    writeFileSync(join(dir, 'file'), '');
    const cases: [string[], RegExp][] = [
      [['--config', config('folder.json', { dbPath: join(dir, 'folder.db') })], /^\S+folder\.db is a folder, not a ledger database\.$/],
      [['--config', config('notes.json', { dbPath: join(dir, 'notes.db') })], /^\S+notes\.db cannot be used as a ledger database \(file is not a database\)\.$/],
      [['--config', config('in-the-way.json', { dbPath: join(dir, 'file', 'ledger.db') })], /^\S+ledger\.db cannot be used as a ledger database \(ENOTDIR/],
      [['--config', dir], /^The config file \S+ cannot be read \(it is a folder\)\.$/],
      [['--config', config('typo.json', { room: ['群'] })], /^The config file \S+ has a bad field: "room" is not a known key \(did you mean "rooms"\?\)\.$/],
      [['--config', config('broken.json', '{ "puppetToken": puppet-SECRET-1 }')], /^The config file \S+ is not valid JSON\.$/],
      [['--config', join(dir, 'missing.json')], /^The config file \S+ does not exist; copy config.example.json/],
      [['--confg', 'x.json'], /^Unknown option '--confg'; npm start takes only --config FILE\.$/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync('node', ['--import', 'tsx', 'bot/runtime/start.ts', ...args], { cwd: root, encoding: 'utf8' });
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
      expect(r.status).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr + r.stdout).not.toMatch(/SECRET|\n\s+at /);
    }
  }, 120_000);
});
