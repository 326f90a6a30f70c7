// WeCom 智能机器人 through the real SDK against a stand-in of its long-connection server on loopback.
import { createCipheriv, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { WecomChannel } from '../../bot/channels/wecom/index.js';
import type { ChannelEvents, InboundMessage, Logger } from '../../bot/core/ports.js';
import { VirtualClock } from '../../bot/runtime/clock.js';
import { configSchema } from '../../bot/runtime/config.js';
import { launch } from '../../bot/runtime/launch.js';
import { silentLog } from '../../bot/runtime/log.js';
import { fromShanghai } from '../../schedules/clock.js';
import { tempDir } from '../helpers.js';
import { botOverChannel, channelContract, LIAISON, type StandIn } from './contract.js';
import { WecomServer } from './wecom-server.js';

const BOT = { botId: 'aibot-test', secret: 'right-secret' };
const GROUP = 'wrkSFfCgAAxxxxGROUP';

const channelFor = (url: string, log: Logger = silentLog, secret = BOT.secret) => new WecomChannel({ botId: BOT.botId, secret, wsUrl: url, log, reconnectMs: 5 });

async function standIn(): Promise<StandIn> {
  const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
  const channel = channelFor(server.url);
  return {
    channel,
    group: GROUP,
    connect: () => {},
    // WeCom gives no display name: people are shown by userid
    shownAs: (user) => user.id,
    say: async (user, text, where) => void (await server.deliver(user, text, where)),
    sent: server.sent,
    untilSent: (n) => server.until(() => server.sent.length >= n),
    dropConnection: async () => {
      const before = server.subscribes;
      server.drop();
      await server.until(() => server.subscribes > before);
    },
    close: () => server.close(),
  };
}

channelContract('wecom', standIn, { connections: true });
botOverChannel('wecom', standIn);

/** A logger that keeps what it was told. */
function recordingLog() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_obj: object, msg?: string) => void lines.push({ level, msg: msg ?? '' });
  const log: Logger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

/** Events that keep the messages and count connections. */
function recorder() {
  const received: InboundMessage[] = [];
  let connections = 0;
  let onConnected = () => {};
  let onMessage = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const message = new Promise<void>((resolve) => (onMessage = resolve));
  const events: ChannelEvents = {
    message: async (m) => {
      received.push(m);
      onMessage();
    },
    connected: async () => {
      connections++;
      onConnected();
    },
    disconnected: () => {},
  };
  return { events, received, connections: () => connections, connected, message };
}

describe('wecom channel: its own protocol', () => {
  it('drops the leading @robot, keeps the quoted text apart, and answers through the req_id', async () => {
    const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
    const channel = channelFor(server.url);
    const r = recorder();
    try {
      await channel.start(r.events);
      await r.connected;
      const reqId = await server.deliver(LIAISON, '完成 T5', 'group', { quote: { msgtype: 'text', text: { content: '【政务公开提醒】T5' } } });
      await r.message;
      expect(r.received[0]).toMatchObject({ id: 'msg1', text: '完成 T5', quoted: '【政务公开提醒】T5', replyToken: reqId, sender: { id: LIAISON.id, name: LIAISON.id } });
      // a reply path the server no longer accepts: the answer goes proactively instead
      server.expire(reqId);
      await channel.send({ conversation: { kind: 'room', id: GROUP }, parts: ['', ' 已记录'], mentions: [LIAISON.id], replyToken: reqId });
      expect(server.sent).toEqual([{ conversation: { kind: 'room', id: GROUP }, text: `@${LIAISON.id} 已记录`, mentions: [LIAISON.id], file: null }]);
    } finally {
      await channel.stop();
      await server.close();
    }
  });

  it('a file sent privately is downloaded, decrypted and kept for the bot to read (the bot\'s user only)', async () => {
    const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
    // WeCom's file link: AES-256-CBC, the key's first 16 bytes the IV, PKCS#7 to 32 bytes
    const key = randomBytes(32);
    const plain = Buffer.from('工作要点');
    const pad = 32 - (plain.length % 32);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]);
    const files = createServer((_req, res) => res.writeHead(200, { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('方案.docx')}` }).end(encrypted));
    files.listen(0, '127.0.0.1');
    await once(files, 'listening');
    const dir = join(tempDir(), 'inbox-files');
    const channel = new WecomChannel({ ...BOT, wsUrl: server.url, log: silentLog, reconnectMs: 5, filesDir: dir });
    const r = recorder();
    try {
      await channel.start(r.events);
      await r.connected;
      const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/file`;
      await server.deliver(LIAISON, '', 'private', { msgtype: 'file', text: undefined, file: { url, aeskey: key.toString('base64') } });
      await r.message;
      const m = r.received[0]!;
      expect(m).toMatchObject({ text: '', conversation: { kind: 'contact', id: LIAISON.id }, file: { name: '方案.docx' } });
      expect(m.file!.path.startsWith(dir)).toBe(true);
      expect(m.file!.path.endsWith('.docx')).toBe(true);
      expect(readFileSync(m.file!.path)).toEqual(plain);
      expect(statSync(m.file!.path).mode & 0o777).toBe(0o600);
    } finally {
      await channel.stop();
      await server.close();
      files.close();
    }
  });

  it('keeps the connection alive with pings', async () => {
    const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
    const channel = new WecomChannel({ ...BOT, wsUrl: server.url, log: silentLog, heartbeatMs: 5 });
    try {
      await channel.start(recorder().events);
      await server.until(() => server.pings >= 3);
      expect(channel.connected).toBe(true);
    } finally {
      await channel.stop();
      await server.close();
    }
  });

  it('refuses to send while disconnected, so the outbox keeps the message', async () => {
    const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
    const channel = channelFor(server.url);
    await expect(channel.send({ conversation: { kind: 'room', id: GROUP }, parts: ['x'], mentions: [] })).rejects.toThrow(/not connected/);
    await server.close();
  });

  it('a wrong secret: one sentence, retries with back-off, no crash, never connected', async () => {
    const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
    const { log, lines } = recordingLog();
    const channel = channelFor(server.url, log, 'wrong-secret');
    const r = recorder();
    try {
      await channel.start(r.events);
      await server.until(() => server.subscribes >= 3);
      expect(channel.connected).toBe(false);
      expect(r.connections()).toBe(0);
      expect(lines).toEqual([{ level: 'warn', msg: expect.stringMatching(/refused the bot id and secret: check WECOM_BOT_ID and WECOM_BOT_SECRET/) }]);
    } finally {
      await channel.stop();
      await server.close();
    }
  });

  it('an unreachable server: one sentence and back-off retries', async () => {
    // a port that was just free: nothing listens there
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    const { log, lines } = recordingLog();
    const channel = channelFor(url, log);
    const attempts: number[] = [];
    const third = new Promise<void>((resolve) => channel.on('reconnecting', (n: number) => (attempts.push(n), n >= 3 && resolve())));
    try {
      await channel.start(recorder().events);
      await third;
      expect(attempts.slice(0, 3)).toEqual([1, 2, 3]);
      expect(channel.connected).toBe(false);
      expect(lines).toEqual([{ level: 'warn', msg: `cannot reach the WeCom long-connection server at ${url}; retrying with back-off` }]);
    } finally {
      await channel.stop();
    }
  });

  it("is ready (what npm start logs as 'bot started') only once the server answered the subscription", async () => {
    const server = await WecomServer.start({ ...BOT, groups: [GROUP] });
    server.hold = true;
    const config = configSchema.parse({
      channel: 'wecom',
      wecom: { ...BOT, wsUrl: server.url },
      coordinators: [{ name: '张主任', contactId: 'zhangzr' }],
      dbPath: join(tempDir(), 'ledger.db'),
      exportDir: join(tempDir(), 'exports'),
    });
    const { bot, stop } = await launch(config, { log: silentLog, clock: new VirtualClock(fromShanghai('2023-08-21 08:00')!) });
    let ready = false;
    const readied = new Promise<void>((resolve) => bot.once('ready', () => ((ready = true), resolve())));
    try {
      await bot.start();
      await server.until(() => server.subscribes === 1);
      expect(ready).toBe(false);
      expect(bot.channel.connected).toBe(false);
      server.release();
      await readied;
      expect(bot.channel.connected).toBe(true);
    } finally {
      await stop();
      await server.close();
    }
  });
});
