import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChannel } from '../bot/runtime/channels.js';
import { loadConfig } from '../bot/runtime/config.js';
import { createLogger, silentLog } from '../bot/runtime/log.js';
import { tempDir } from './helpers.js';

const write = (obj: unknown) => {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return path;
};

describe('config', () => {
  it('fills defaults and lets the environment choose the channel and the puppet', () => {
    const path = write({ coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'] });
    const c = loadConfig(path, {});
    // no channel chosen, and never the personal-WeChat web protocol by default
    expect(c.channel).toBeUndefined();
    expect(c.puppet).toBeUndefined();
    expect(c).toMatchObject({ dbPath: 'data/ledger.db', reminders: { time: '09:00', before: [10, 5, 3, 1], escalateAfter: 3 } });
    const service = loadConfig(path, { LIAISON_CHANNEL: 'wechaty', WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'tok', LIAISON_DB: '/tmp/x.db' });
    expect(service).toMatchObject({ channel: 'wechaty', puppet: 'wechaty-puppet-service', puppetToken: 'tok', dbPath: '/tmp/x.db' });
  });

  it('stops with a sentence naming the bad field', () => {
    expect(() => loadConfig(write({ coordinators: [], rooms: ['群'] }), {})).toThrow(/bad field: "coordinators" is not valid \(name at least one coordinator\)\.$/);
    expect(() => loadConfig(write({ coordinators: [{ name: 'a' }], rooms: ['群'], reminders: { time: '9点' } }), {})).toThrow(/bad field: "reminders.time" is not valid/);
    expect(() => loadConfig(write('{ not json'), {})).toThrow(/is not valid JSON/);
    expect(() => loadConfig('/nonexistent/config.json', {})).toThrow(/does not exist; copy config.example.json/);
  });

  it('refuses unknown keys, naming the closest known one, at the top and in sections', () => {
    const message = (obj: unknown) => {
      try {
        loadConfig(write(obj), {});
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    const ok = { coordinators: [{ name: '张主任' }] };
    expect(message({ ...ok, room: ['群'] })).toMatch(/has a bad field: "room" is not a known key \(did you mean "rooms"\?\)\.$/);
    expect(message({ coordinater: [{ name: '张主任' }] })).toMatch(/"coordinater" is not a known key \(did you mean "coordinators"\?\)/);
    expect(message({ ...ok, reminders: { tme: '09:00' } })).toMatch(/"reminders.tme" is not a known key \(did you mean "time"\?\)/);
    expect(message({ coordinators: [{ name: '张主任', contactid: 'x' }] })).toMatch(/"coordinators.0.contactid" is not a known key \(did you mean "contactId"\?\)/);
    expect(message({ ...ok, wecom: { secert: 'x' } })).toMatch(/"wecom.secert" is not a known key \(did you mean "secret"\?\)/);
    // nothing near: no guess
    expect(message({ ...ok, colour: 'blue' })).toMatch(/"colour" is not a known key\.$/);
  });

  it('lists every bad field in one sentence and names a missing one as missing', () => {
    const all = () => loadConfig(write({ room: [], reminders: { time: '9点' }, outbox: { maxLength: 5 }, logLevel: 'loud' }), {});
    expect(all).toThrow(/has 5 bad fields: /);
    try {
      all();
    } catch (err) {
      const m = (err as Error).message;
      expect(m.split('\n')).toHaveLength(1);
      for (const f of ['"coordinators" is missing', '"reminders.time" is not valid (a time written HH:mm)', '"outbox.maxLength" is not valid', '"logLevel" is not valid', '"room" is not a known key']) expect(m).toContain(f);
      expect(m).not.toMatch(/received undefined/);
    }
    expect(() => loadConfig(write({}), {})).toThrow(/^The config file .* has a bad field: "coordinators" is missing\.$/);
    expect(() => loadConfig(write([]), {})).toThrow(/must hold one JSON object/);
    expect(() => loadConfig(tempDir(), {})).toThrow(/^The config file .* cannot be read \(it is a folder\)\.$/);
  });

  it('never echoes a secret in its errors', () => {
    const secrets = { puppetToken: 'puppet-SECRET-1', wecom: { botId: 'b', secret: 'wecom-SECRET-2' }, dingtalk: { clientSecret: 'ding-SECRET-3' }, wecomWebhook: { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=hook-SECRET-4' } };
    const messages: string[] = [];
    const attempt = (text: string, env = {}) => {
      try {
        loadConfig(write(text), env);
      } catch (err) {
        messages.push((err as Error).message);
      }
    };
    // bad JSON right at a secret (JSON.parse would quote the text around it)
    attempt(`{ "puppetToken": puppet-SECRET-1, "coordinators": [] }`);
    attempt(`{ "wecom": { "secret": "wecom-SECRET-2" `);
    // bad fields beside secrets, and secrets of the wrong kind
    attempt(JSON.stringify({ ...secrets, coordinators: [], wecom: { ...secrets.wecom, wsUrl: 'http://x' }, wecomWebhook: { url: 42, key: 'hook-SECRET-4' } }));
    attempt(JSON.stringify({ puppetToken: ['puppet-SECRET-1'], dingtalk: { clientSecret: { v: 'ding-SECRET-3' } } }), { WECOM_BOT_SECRET: 'wecom-SECRET-2' });
    expect(messages).toHaveLength(4);
    for (const m of messages) expect(m).not.toMatch(/SECRET/);
  });

  it('never writes a secret to the log, by key or inside a text', () => {
    const config = loadConfig(write({ coordinators: [{ name: '张主任' }], puppetToken: 'puppet-SECRET-1', wecom: { botId: 'b', secret: 'wecom-SECRET-2' } }), {
      DINGTALK_CLIENT_SECRET: 'ding-SECRET-3',
      WECOM_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=hook-SECRET-4',
    });
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    log.info({ config }, 'started');
    log.info({ puppetToken: config.puppetToken, wecom: config.wecom, dingtalk: config.dingtalk, wecomWebhook: config.wecomWebhook }, 'channels');
    const failed = Object.assign(new Error(`POST ${config.wecomWebhook!.url} failed`), { code: 'ECONNRESET', url: config.wecomWebhook!.url });
    log.error({ err: failed, outboxId: 1 }, 'send failed; will retry');
    log.warn({ reason: 'GET https://api.dingtalk.com/v1.0/gateway?access_token=ding-SECRET-3 timed out' }, `while calling ${config.wecomWebhook!.url}`);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toMatch(/SECRET/);
    const err = (JSON.parse(lines[2]!) as { err: { type: string; message: string; code: string; stack: string } }).err;
    expect(err).toMatchObject({ type: 'Error', message: 'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=[redacted] failed', code: 'ECONNRESET' });
    expect(err.stack).toMatch(/\n\s+at /);
  });

  it('takes the DingTalk credentials and the group robot webhook from the environment over the file', async () => {
    const path = write({ coordinators: [{ name: '张主任' }], dingtalk: { clientId: 'from-file', robotCode: 'robot' } });
    const c = loadConfig(path, { LIAISON_CHANNEL: 'dingtalk', DINGTALK_CLIENT_ID: 'id', DINGTALK_CLIENT_SECRET: 'secret', WECOM_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' });
    expect(c).toMatchObject({
      channel: 'dingtalk',
      dingtalk: { clientId: 'id', clientSecret: 'secret', robotCode: 'robot', apiBase: 'https://api.dingtalk.com' },
      wecomWebhook: { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
    });
    // a missing credential is one sentence at start-up
    const partial = loadConfig(path, { LIAISON_CHANNEL: 'dingtalk' });
    await expect(createChannel(partial, silentLog)).rejects.toThrow(/^The dingtalk channel needs the app's credentials: set DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET/);
    expect((await createChannel(c, silentLog)).name).toBe('dingtalk');
  });

  it('accepts the example file shipped in the repository', () => {
    expect(loadConfig(new URL('../config.example.json', import.meta.url).pathname, {}).coordinators[0]!.name).toBe('张主任');
  });

  it('reads the wecom section, the environment winning, and says in one sentence what is missing', async () => {
    const path = write({ coordinators: [{ name: '张主任' }], wecom: { botId: 'file-bot', secret: 'file-secret' } });
    expect(loadConfig(path, { LIAISON_CHANNEL: 'wecom' }).wecom).toEqual({ botId: 'file-bot', secret: 'file-secret' });
    const env = { LIAISON_CHANNEL: 'wecom', WECOM_BOT_SECRET: 'env-secret', WECOM_WS_URL: 'wss://zwwx.example.gov.cn' };
    expect(loadConfig(path, env).wecom).toEqual({ botId: 'file-bot', secret: 'env-secret', wsUrl: 'wss://zwwx.example.gov.cn' });
    expect(loadConfig(write({ coordinators: [{ name: '张主任' }] }), { WECOM_BOT_ID: 'b' }).wecom).toEqual({ botId: 'b' });
    expect(() => loadConfig(path, { WECOM_WS_URL: 'openws.example' })).toThrow(/bad field: "wecom.wsUrl" is not valid/);

    const noSecret = loadConfig(write({ coordinators: [{ name: '张主任' }] }), { LIAISON_CHANNEL: 'wecom', WECOM_BOT_ID: 'b' });
    await expect(createChannel(noSecret, silentLog)).rejects.toThrow(/^The wecom channel needs the robot's bot id and secret: set WECOM_BOT_ID and WECOM_BOT_SECRET/);
    const channel = await createChannel(loadConfig(path, { LIAISON_CHANNEL: 'wecom' }), silentLog);
    expect(channel).toMatchObject({ name: 'wecom', connected: false, capabilities: { hearsAllGroupMessages: false } });
  });
});
