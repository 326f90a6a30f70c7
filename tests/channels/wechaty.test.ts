// Wechaty on wechaty-puppet-mock: the stand-in is a mock WeChat around the real Wechaty.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WechatyChannel } from '../../bot/channels/wechaty/index.js';
import { MockChat } from '../../bot/cli/mock-chat.js';
import { silentLog } from '../../bot/runtime/log.js';
import { tempDir } from '../helpers.js';
import { botOverChannel, channelContract, COORDINATOR, LIAISON, STRANGER, type Said, type StandIn } from './contract.js';

const GROUP = '政务公开联络群';

async function mockWeChat(): Promise<StandIn> {
  const chat = new MockChat(() => new Date());
  for (const u of [LIAISON, COORDINATOR, STRANGER]) chat.member(u.name, undefined, u.id);
  chat.room(GROUP);
  const channel = chat.channel([GROUP], silentLog);
  const sent: Said[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  chat.puppet.on('message', ({ messageId }) => {
    const line = chat.lines.find((l) => l.messageId === messageId);
    if (line?.who !== 'bot') return;
    const p = chat.mocker.messagePayload(messageId) as { listenerId?: string };
    sent.push({
      conversation: line.room ? { kind: 'room', id: line.room } : { kind: 'contact', id: p.listenerId! },
      text: line.text,
      // the mock keeps no mention list: an @name in the text is the mention WeChat shows
      mentions: [LIAISON, COORDINATOR, STRANGER].filter((u) => line.text.includes(`@${u.name}`)).map((u) => u.id),
      file: line.file,
    });
    for (const w of waiters.filter((w) => sent.length >= w.n)) w.resolve();
  });
  return {
    channel,
    group: GROUP,
    connect: () => chat.login(),
    say: async (user, text, where) => {
      await chat.say(channel, user.name, where === 'group' ? `@${chat.botName} ${text}` : text, where === 'group' ? GROUP : null, where === 'group');
    },
    sent,
    untilSent: (n) => new Promise<void>((resolve) => (sent.length >= n ? resolve() : waiters.push({ n, resolve }))),
    close: async () => {},
  };
}

channelContract('wechaty', mockWeChat, { connections: false });
botOverChannel('wechaty', mockWeChat);

describe('wechaty start-up', () => {
  it('says once that the puppet could not start, connects when it can, and sets a broken saved login aside', async () => {
    const botName = join(tempDir(), 'bot');
    // a saved login a stop cut off mid-write
    writeFileSync(`${botName}.memory-card.json`, '');
    const chat = new MockChat(() => new Date());
    const puppet = chat.puppet;
    const start = puppet.start.bind(puppet);
    let refusals = 2;
    puppet.start = async () => {
      if (refusals-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:8788');
      return start();
    };
    const warnings: unknown[] = [];
    const log = { info: () => {}, error: () => {}, warn: (obj: object, msg?: string) => void warnings.push({ ...obj, msg }) };
    const channel = new WechatyChannel({ botName, puppet, rooms: [GROUP], log });
    const started = new Promise<void>((resolve) => channel.wechaty.once('start', () => resolve()));
    let connected!: () => void;
    const online = new Promise<void>((resolve) => (connected = resolve));
    await channel.start({ message: async () => {}, connected: async () => connected(), disconnected: () => {} });
    await started;
    chat.login();
    await online;
    expect(channel.connected).toBe(true);
    // Wechaty retries the puppet itself; the same failure is said once, without a stack
    expect(warnings).toEqual([
      { file: `${botName}.memory-card.json`, msg: 'the saved login could not be read and was set aside; scan the QR code again' },
      { error: 'connect ECONNREFUSED 127.0.0.1:8788', msg: 'wechaty error' },
    ]);
    expect(existsSync(`${botName}.memory-card.json.broken`)).toBe(true);
    await channel.stop();
  });
});
