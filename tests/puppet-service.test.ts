// Wechaty's puppet service unreachable (a token holder's service is down): the bot keeps
// running, says so in a line per distinct error, and never prints the token.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const root = new URL('..', import.meta.url).pathname;

describe('npm start with wechaty-puppet-service unreachable', () => {
  it('says it in a line, without a stack, keeps running until stopped, and never shows the token', async () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    const token = 'insecure_county-token-4711';
    writeFileSync(config, JSON.stringify({ channel: 'wechaty', puppet: 'wechaty-puppet-service', puppetToken: token, coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'], dbPath: join(dir, 'ledger.db') }));
    // a closed port on loopback: nothing listens there
    const env = { ...process.env, WECHATY_PUPPET_SERVICE_ENDPOINT: '127.0.0.1:9', WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT: 'true' };
    const child = spawn('node', ['--import', 'tsx', 'bot/runtime/start.ts', '--config', config], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    createInterface({ input: child.stderr }).on('line', (l) => {
      lines.push(l);
      // once: a second signal while it stops would end it the hard way
      if (l.includes('"msg":"wechaty error"') && !child.killed) child.kill('SIGTERM');
    });
    expect(await exited).toBe(0);
    expect(lines.join('\n')).not.toContain('county-token-4711');
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    const errors = lines.map((l) => JSON.parse(l) as { msg: string; error?: string }).filter((e) => e.msg === 'wechaty error');
    expect(errors.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
  }, 120_000);
});
