import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.js';
import { tempDir } from './helpers.js';

const write = (obj: unknown) => {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return path;
};

describe('config', () => {
  it('fills defaults and lets the environment choose the puppet', () => {
    const path = write({ coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'] });
    const c = loadConfig(path, {});
    expect(c).toMatchObject({ puppet: 'wechaty-puppet-wechat4u', dbPath: 'data/ledger.db', reminders: { time: '09:00', before: [10, 5, 3, 1], escalateAfter: 3 } });
    const wecom = loadConfig(path, { WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'tok', LIAISON_DB: '/tmp/x.db' });
    expect(wecom).toMatchObject({ puppet: 'wechaty-puppet-service', puppetToken: 'tok', dbPath: '/tmp/x.db' });
  });

  it('stops with a sentence naming the bad field', () => {
    expect(() => loadConfig(write({ coordinators: [], rooms: ['群'] }), {})).toThrow(/bad field "coordinators": name at least one coordinator/);
    expect(() => loadConfig(write({ coordinators: [{ name: 'a' }], rooms: ['群'], reminders: { time: '9点' } }), {})).toThrow(/bad field "reminders.time"/);
    expect(() => loadConfig(write('{ not json'), {})).toThrow(/is not valid JSON/);
    expect(() => loadConfig('/nonexistent/config.json', {})).toThrow(/does not exist; copy config.example.json/);
  });

  it('accepts the example file shipped in the repository', () => {
    expect(loadConfig(new URL('../config.example.json', import.meta.url).pathname, {}).coordinators[0]!.name).toBe('张主任');
  });
});
