// The 企业微信 group robot webhook against a stand-in of qyapi on loopback: it sends and cannot hear,
// so the contract's sending parts are tested here directly, then the rounds going through it.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../db/open.js';
import { MockChat } from '../../bot/cli/mock-chat.js';
import { RATE_LIMITED, WecomWebhookChannel } from '../../bot/channels/wecom-webhook/index.js';
import { LiaisonBot } from '../../bot/runtime/bot.js';
import { VirtualClock } from '../../bot/runtime/clock.js';
import { configSchema } from '../../bot/runtime/config.js';
import { silentLog } from '../../bot/runtime/log.js';
import { ensurePlan } from '../../bot/runtime/setup.js';
import { fromShanghai } from '../../schedules/clock.js';
import { seedFiles } from '../../seeds/files.js';
import { calendar, directory, resolver, tempDir } from '../helpers.js';

const KEY = 'stand-in-key';

type Received = { at: number; msgtype: string; content?: string; mentions?: string[]; mediaId?: string };

/** qyapi's webhook/send and webhook/upload_media; `refuse` answers the next sends with 45009. */
async function qyapi(now: () => Date = () => new Date()) {
  const received: Received[] = [];
  const uploads: { name: string; bytes: number }[] = [];
  const refusals: number[] = [];
  let refuse = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url!, 'http://127.0.0.1');
    const json = (value: object) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (url.searchParams.get('key') !== KEY) return json({ errcode: 93000, errmsg: 'invalid webhook url' });
    if (url.pathname === '/cgi-bin/webhook/upload_media' && url.searchParams.get('type') === 'file') {
      const form = await new Response(body, { headers: { 'content-type': req.headers['content-type']! } }).formData();
      const media = form.get('media') as File;
      uploads.push({ name: media.name, bytes: media.size });
      return json({ errcode: 0, errmsg: 'ok', type: 'file', media_id: `media-${uploads.length}` });
    }
    if (url.pathname !== '/cgi-bin/webhook/send') return json({ errcode: 404, errmsg: 'not found' });
    if (refuse > 0) {
      refuse--;
      refusals.push(now().getTime());
      return json({ errcode: RATE_LIMITED, errmsg: 'api freq out of limit' });
    }
    const m = JSON.parse(body.toString('utf8'));
    received.push({ at: now().getTime(), msgtype: m.msgtype, content: m.text?.content, mentions: m.text?.mentioned_list, mediaId: m.file?.media_id });
    json({ errcode: 0, errmsg: 'ok' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/webhook/send?key=${KEY}`;
  return {
    url,
    received,
    uploads,
    refusals,
    refuseNext: (n: number) => void (refuse = n),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const group = { kind: 'room' as const, id: WecomWebhookChannel.GROUP };

describe('wecom-webhook channel: sending', () => {
  it('sends text with @mentions by userid, a file uploaded first, and says what it cannot do', async () => {
    const api = await qyapi();
    const clock = new VirtualClock(new Date('2023-08-21T02:00:00Z'));
    const channel = new WecomWebhookChannel({ url: api.url, now: () => clock.now() });
    try {
      expect(channel.capabilities).toMatchObject({ perMinute: 20, files: true, privateMessages: false, hearsAllGroupMessages: false });
      let connected = false;
      await channel.start({ message: async () => {}, connected: async () => void (connected = true), disconnected: () => {} });
      expect(connected && channel.connected).toBe(true);

      await channel.send({ conversation: group, parts: ['【政务公开提醒】\n', ' T17 明天到期'], mentions: ['wangfang'] });
      expect(api.received[0]).toMatchObject({ msgtype: 'text', content: '【政务公开提醒】\n<@wangfang> T17 明天到期', mentions: ['wangfang'] });

      const file = join(tempDir(), '工作台账.xlsx');
      writeFileSync(file, 'workbook');
      await channel.send({ conversation: group, parts: [''], mentions: [], filePath: file });
      expect(api.uploads).toEqual([{ name: '工作台账.xlsx', bytes: 8 }]);
      expect(api.received[1]).toMatchObject({ msgtype: 'file', mediaId: 'media-1' });

      await expect(channel.send({ conversation: { kind: 'contact', id: 'wangfang' }, parts: ['私聊'], mentions: [] })).rejects.toThrow(/cannot send privately/);
      api.refuseNext(1);
      await expect(channel.send({ conversation: group, parts: ['太快'], mentions: [] })).rejects.toThrow(/45009/);
      // a minute's pause without asking WeCom, then it sends again
      await expect(channel.send({ conversation: group, parts: ['还是太快'], mentions: [] })).rejects.toThrow(/waits/);
      expect(api.received).toHaveLength(2);
      clock.set(new Date(clock.now().getTime() + 60_000));
      await channel.send({ conversation: group, parts: ['好了'], mentions: [] });
      expect(api.received[2]).toMatchObject({ content: '好了' });
      await channel.stop();
      expect(channel.connected).toBe(false);
    } finally {
      await api.close();
    }
  });
});

describe('wecom-webhook beside a channel that hears: the rounds go through the webhook', () => {
  it('puts the round in the webhook group at no more than 20 a minute, and backs off on 45009', async () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    ensurePlan(db, seedFiles.plan, directory, calendar, '2023-08-21T01:00:00Z');
    const clock = new VirtualClock(fromShanghai('2023-08-21 10:00')!);
    const api = await qyapi(() => clock.now());
    // no pacing of our own: the webhook's 20 a minute is what spaces the messages
    // the full digest, split at 200 characters: a round of several messages to pace
    const config = configSchema.parse({ coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'], outbox: { minGapMs: 0, jitterMs: 0, maxLength: 200 }, reminders: { groupDigest: 'full' } });
    const chat = new MockChat(() => clock.now());
    const channel = chat.channel(config.rooms, silentLog);
    const webhook = new WecomWebhookChannel({ url: api.url, now: () => clock.now() });
    const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, channel, rounds: { channel: webhook, group: WecomWebhookChannel.GROUP }, random: () => 0 });
    try {
      await bot.start();
      const ready = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
      chat.login();
      await ready;
      chat.member('张主任', '张主任');
      chat.join('张主任', '政务公开联络群');
      await chat.say(channel, '张主任', '大家好', '政务公开联络群');
      const liaisons = [['王芳', '县民政局'], ['刘洋', '县财政局'], ['孙丽', '县商务局'], ['赵强', '县审计局'], ['周敏', '县统计局']] as const;
      for (const [name, unit] of liaisons) {
        await chat.say(channel, name, `绑定 ${unit}`, '政务公开联络群');
        await chat.say(channel, '张主任', `批准 ${name}`, '政务公开联络群');
      }
      // answers went through the channel that hears; only today's coordinator notices through the webhook
      expect(chat.lines.some((l) => l.who === 'bot' && l.text.includes('已批准：王芳'))).toBe(true);
      expect(api.received.every((m) => /^【每日汇总】/.test(m.content!))).toBe(true);
      const before = api.received.length;

      api.refuseNext(1);
      clock.set(fromShanghai('2023-08-22 09:00')!);
      await bot.tick();
      // the first send met the rate limit: nothing went, the round waits in the outbox
      expect(api.refusals).toHaveLength(1);
      expect(api.received).toHaveLength(before);
      clock.set(new Date(clock.now().getTime() + 2 * 60_000));
      await bot.outbox.drain();

      const round = api.received.slice(before);
      expect(round.length).toBeGreaterThanOrEqual(3);
      expect(round[0]!.at - api.refusals[0]!).toBeGreaterThanOrEqual(60_000);
      // each liaison @mentioned in the digest, the coordinator heard in the group on the notices
      const digest = round.filter((m) => m.content!.startsWith('【政务公开提醒】'));
      expect(new Set(digest.flatMap((m) => m.mentions ?? [])).size).toBe(liaisons.length);
      // the coordinator's summary, on a day with news for them, @mentions them
      for (const n of round.filter((m) => !digest.includes(m))) expect(n.content).toBe(`<@${n.mentions![0]}> ${n.content!.split('> ')[1]}`);
      for (let i = 1; i < round.length; i++) expect(round[i]!.at - round[i - 1]!.at).toBeGreaterThanOrEqual(3_000);
      for (const m of round) expect(round.filter((n) => n.at >= m.at && n.at < m.at + 60_000).length).toBeLessThanOrEqual(20);
      // nothing of the round in the group the bot hears
      expect(chat.lines.some((l) => l.who === 'bot' && l.text.includes('【政务公开提醒】'))).toBe(false);
    } finally {
      await bot.stop();
      db.$client.close();
      await api.close();
    }
  });
});
