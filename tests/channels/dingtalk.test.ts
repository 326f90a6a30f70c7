// DingTalk stream mode against a stand-in of DingTalk on loopback.
import { describe, expect, it } from 'vitest';
import { DingTalkChannel } from '../../bot/channels/dingtalk/index.js';
import type { ChannelEvents, Logger } from '../../bot/core/ports.js';
import { silentLog } from '../../bot/runtime/log.js';
import { botOverChannel, channelContract, type StandIn } from './contract.js';
import { DingTalkServer } from './dingtalk-server.js';

const channelOn = (server: DingTalkServer, extra: Partial<ConstructorParameters<typeof DingTalkChannel>[0]> = {}) =>
  new DingTalkChannel({
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    apiBase: server.base,
    log: silentLog,
    now: () => new Date(),
    backoff: { firstMs: 5, maxMs: 40 },
    ...extra,
  });

async function standIn(): Promise<StandIn> {
  const server = new DingTalkServer();
  await server.start();
  return {
    channel: channelOn(server),
    group: server.group,
    connect: () => {},
    say: (user, text, where) => server.say(user, text, where),
    sent: server.sent,
    untilSent: (n) => server.untilSent(n),
    dropConnection: () => server.dropConnection(),
    close: () => server.close(),
  };
}

channelContract('dingtalk', standIn, { connections: true });
botOverChannel('dingtalk', standIn);

/** Events that resolve `opened` at the first connection. */
function connecting() {
  let opened = () => {};
  const whenOpen = new Promise<void>((resolve) => (opened = resolve));
  const events: ChannelEvents = { message: async () => {}, connected: async () => opened(), disconnected: () => {} };
  return { events, whenOpen };
}

describe('dingtalk channel: the stream protocol', () => {
  it('subscribes to robot messages, echoes the gateway ping and answers privately through the OpenAPI', async () => {
    const server = new DingTalkServer();
    await server.start();
    const channel = channelOn(server);
    try {
      const { events, whenOpen } = connecting();
      await channel.start(events);
      await whenOpen;
      expect(server.subscriptions[0]).toEqual([{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }]);
      await server.ping();
      await channel.send({ conversation: { kind: 'contact', id: 'wangfang' }, parts: ['您的任务'], mentions: [] });
      expect(server.sent).toEqual([{ conversation: { kind: 'contact', id: 'wangfang' }, text: '您的任务', mentions: [], file: null }]);
    } finally {
      await channel.stop();
      await server.close();
    }
  });

  it('an unreachable gateway is one log sentence and attempts with growing waits until it answers', async () => {
    const server = new DingTalkServer();
    await server.start();
    const warnings: string[] = [];
    const infos: string[] = [];
    const log: Logger = { ...silentLog, warn: (_o, msg) => warnings.push(msg ?? ''), info: (_o, msg) => infos.push(msg ?? '') };
    let attempts = 0;
    // the first four attempts find nothing listening; the fifth reaches the stand-in
    const flaky: typeof fetch = (input, init) => {
      const url = String(input);
      if (url.endsWith('/connections/open') && ++attempts <= 4) return Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED 127.0.0.1'));
      return fetch(input, init);
    };
    const channel = channelOn(server, { log, fetch: flaky });
    try {
      const { events, whenOpen } = connecting();
      await channel.start(events);
      expect(channel.connected).toBe(false);
      await whenOpen;
      expect(channel.connected).toBe(true);
      expect(attempts).toBe(5);
      expect(warnings).toEqual(['cannot reach the DingTalk stream gateway; retrying with back-off']);
      expect(infos).toEqual(['the DingTalk stream is open again']);
    } finally {
      await channel.stop();
      await server.close();
    }
  });

  it('says no file can be sent, so the runtime says it in words', async () => {
    const server = new DingTalkServer();
    await server.start();
    const channel = channelOn(server);
    await expect(channel.send({ conversation: { kind: 'room', id: server.group }, parts: [''], mentions: [], filePath: '/tmp/x.xlsx' })).rejects.toThrow(/no files/);
    await server.close();
  });
});
