// The contract every channel passes, against a stand-in of its own protocol on loopback: what
// the core relies on (normalised inbound messages, envelopes delivered, files, capabilities),
// then the whole bot end to end through that protocol.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../db/open.js';
import { ledgerRows } from '../../db/status.js';
import { currentPlan } from '../../db/queries.js';
import { FileNotSent, type Channel, type ChannelEvents, type InboundMessage } from '../../bot/core/ports.js';
import { LiaisonBot } from '../../bot/runtime/bot.js';
import { VirtualClock } from '../../bot/runtime/clock.js';
import { configSchema } from '../../bot/runtime/config.js';
import { silentLog } from '../../bot/runtime/log.js';
import { ensurePlan } from '../../bot/runtime/setup.js';
import { fromShanghai } from '../../schedules/clock.js';
import { seedFiles } from '../../seeds/files.js';
import { calendar, directory, resolver, tempDir } from '../helpers.js';

/** A message the bot sent, as the stand-in server saw it. */
export type Said = { conversation: { kind: 'room' | 'contact'; id: string }; text: string; mentions: string[]; file: string | null };

export type User = { id: string; name: string };

/** A stand-in of one channel's real protocol, with the channel under test configured against it. */
export type StandIn = {
  channel: Channel;
  /** the conversation id of the test group */
  group: string;
  /** lets the channel connect where that takes a step (a login); channels that connect by themselves ignore it */
  connect(): void;
  /** a user writes, @mentioning the bot in the group; resolves once the stand-in delivered it */
  say(user: User, text: string, where: 'group' | 'private'): Promise<void>;
  /** everything the bot sent, in order */
  sent: Said[];
  /** resolves once at least n messages were sent */
  untilSent(n: number): Promise<void>;
  /** how the channel names a user where it gives no display name (WeCom: the userid); else the name */
  shownAs?(user: User): string;
  /** the server drops the connection; resolves once the channel is connected again (where the protocol has connections) */
  dropConnection?(): Promise<void>;
  close(): Promise<void>;
};

export const LIAISON: User = { id: 'wangfang', name: '王芳' };
export const COORDINATOR: User = { id: 'zhangzr', name: '张主任' };
export const STRANGER: User = { id: 'lisi', name: '李四' };

/** Events that record what the channel hands on, with a promise per expected message. */
function recorder() {
  const received: InboundMessage[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let connections = 0;
  let onConnected = () => {};
  const events: ChannelEvents = {
    message: async (m) => {
      received.push(m);
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve();
    },
    connected: async () => {
      connections++;
      onConnected();
    },
    disconnected: () => {},
  };
  const until = (n: number) => new Promise<void>((resolve) => (received.length >= n ? resolve() : waiters.push({ n, resolve })));
  /** resolves once the channel connected n times in all */
  const untilConnected = (n = 1) =>
    new Promise<void>((resolve) => {
      onConnected = () => connections >= n && resolve();
      onConnected();
    });
  return { events, received, until, untilConnected };
}

/** Starts the channel on recording events and waits until it is connected. */
async function started(s: StandIn) {
  const r = recorder();
  const connected = r.untilConnected();
  await s.channel.start(r.events);
  s.connect();
  await connected;
  return r;
}

/** The channel's own contract: what the core relies on. */
export function channelContract(name: string, makeStandIn: () => Promise<StandIn>, options: { connections: boolean }): void {
  describe(`${name} channel: the port's contract`, () => {
    it('hands on group @-messages and private messages normalised, identity by id', async () => {
      const s = await makeStandIn();
      try {
        const r = await started(s);
        expect(s.channel.connected).toBe(true);
        expect(s.channel.name).toBe(name);
        expect(s.channel.capabilities.perMinute).toBeGreaterThan(0);
        await s.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html', 'group');
        await r.until(1);
        expect(r.received[0]).toMatchObject({
          channel: name,
          conversation: { kind: 'room', id: s.group },
          sender: { id: LIAISON.id },
          mentionsBot: true,
        });
        expect(r.received[0]!.text).toContain('完成 T17 https://www.yiyuan.gov.cn/a.html');
        await s.say(LIAISON, '我的任务', 'private');
        await r.until(2);
        expect(r.received[1]).toMatchObject({ channel: name, conversation: { kind: 'contact', id: LIAISON.id }, sender: { id: LIAISON.id }, text: '我的任务' });
      } finally {
        await s.channel.stop();
        await s.close();
      }
    });

    it('delivers text with @mentions by id, replies, private messages and files', async () => {
      const s = await makeStandIn();
      try {
        const r = await started(s);
        await s.say(LIAISON, '帮助', 'group');
        await r.until(1);
        // an answer through the reply path of the message it answers
        await s.channel.send({ conversation: { kind: 'room', id: s.group }, parts: ['', ' 已收到'], mentions: [LIAISON.id], replyToken: r.received[0]!.replyToken });
        await s.untilSent(1);
        expect(s.sent[0]).toMatchObject({ conversation: { kind: 'room', id: s.group }, mentions: [LIAISON.id] });
        expect(s.sent[0]!.text).toContain('已收到');
        // a proactive group message
        await s.channel.send({ conversation: { kind: 'room', id: s.group }, parts: ['【政务公开提醒】', ' T17'], mentions: [COORDINATOR.id] });
        await s.untilSent(2);
        expect(s.sent[1]).toMatchObject({ conversation: { kind: 'room', id: s.group }, mentions: [COORDINATOR.id] });
        expect(s.sent[1]!.text).toContain('【政务公开提醒】');
        if (s.channel.capabilities.privateMessages) {
          await s.channel.send({ conversation: { kind: 'contact', id: LIAISON.id }, parts: ['私聊提醒'], mentions: [] });
          await s.untilSent(3);
          expect(s.sent[2]).toMatchObject({ conversation: { kind: 'contact', id: LIAISON.id }, text: '私聊提醒' });
        }
        const file = join(tempDir(), '工作台账.xlsx');
        (await import('node:fs')).writeFileSync(file, 'workbook');
        const sending = s.channel.send({ conversation: { kind: 'room', id: s.group }, parts: [''], mentions: [], filePath: file });
        if (s.channel.capabilities.files) {
          await sending;
          await s.untilSent(s.channel.capabilities.privateMessages ? 4 : 3);
          expect(s.sent.at(-1)).toMatchObject({ conversation: { kind: 'room', id: s.group }, file: '工作台账.xlsx' });
        } else {
          await expect(sending).rejects.toBeInstanceOf(FileNotSent);
        }
      } finally {
        await s.channel.stop();
        await s.close();
      }
    });

    it('is not connected once stopped', async () => {
      const s = await makeStandIn();
      await started(s);
      await s.channel.stop();
      expect(s.channel.connected).toBe(false);
      await s.close();
    });

    // where the protocol has a connection of its own to lose
    it.runIf(options.connections)('reconnects after the server drops the connection, and sends again', async () => {
      const s = await makeStandIn();
      try {
        const r = await started(s);
        const again = r.untilConnected(2);
        await s.dropConnection!();
        await again;
        expect(s.channel.connected).toBe(true);
        await s.channel.send({ conversation: { kind: 'room', id: s.group }, parts: ['重连后'], mentions: [] });
        await s.untilSent(1);
        expect(s.sent[0]!.text).toBe('重连后');
      } finally {
        await s.channel.stop();
        await s.close();
      }
    });
  });
}

/**
 * The whole bot through the channel's protocol: a liaison binds, reports a completion with a
 * link, the coordinator asks /status, a stranger is refused, a reminder round goes out and the
 * coordinator's /export file.
 */
export function botOverChannel(name: string, makeStandIn: () => Promise<StandIn>): void {
  describe(`${name} channel: the bot end to end`, () => {
    it('binds, records, answers, refuses, reminds and exports through the protocol', async () => {
      const s = await makeStandIn();
      const db = openLedger(join(tempDir(), 'ledger.db'));
      ensurePlan(db, seedFiles.plan, directory, calendar, '2023-08-21T01:00:00Z');
      const clock = new VirtualClock(fromShanghai('2023-08-21 10:00')!);
      const config = configSchema.parse({
        coordinators: [{ name: COORDINATOR.name, contactId: COORDINATOR.id }],
        exportDir: join(tempDir(), 'exports'),
        outbox: { minGapMs: 0, jitterMs: 0 },
      });
      const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, channel: s.channel, random: () => 0 });
      const ready = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
      const texts = () => s.sent.map((m) => m.text);
      const shown = (u: User) => s.shownAs?.(u) ?? u.name;
      /** says something and waits for the n answers it gets */
      const exchange = async (user: User, text: string, answers = 1) => {
        const before = s.sent.length;
        await s.say(user, text, 'group');
        await s.untilSent(before + answers);
        return s.sent.slice(before);
      };
      try {
        await bot.start();
        s.connect();
        await ready;
        const asked = await exchange(LIAISON, '绑定 县民政局', 2);
        expect(asked[0]!.text).toContain('已提交申请：绑定 县民政局');
        expect(asked[0]!.mentions).toEqual([LIAISON.id]);
        // the coordinator configured by id hears of it, privately or in the group
        expect(asked[1]!.text).toContain(`「${shown(LIAISON)}」申请成为县民政局联络员`);
        const approved = await exchange(COORDINATOR, `批准 ${shown(LIAISON)}`);
        expect(approved[0]!.text).toContain(`已批准：${shown(LIAISON)} 为县民政局联络员`);

        const link = 'https://www.yiyuan.gov.cn/art/2023/8/21/a.html';
        const done = await exchange(LIAISON, `完成 T17 ${link}`);
        expect(done[0]!.text).toContain('已记录：县民政局 T17 完成');
        const row = ledgerRows(db, currentPlan(db)!.id).find((r) => r.ref === 'T17' && r.unit === '县民政局')!;
        expect(row.evidence).toBe(link);

        const refused = await exchange(STRANGER, '完成 T17');
        expect(refused[0]!.text).toContain('您还没有绑定单位');
        expect(ledgerRows(db, currentPlan(db)!.id).filter((r) => r.doneBy === shown(STRANGER))).toEqual([]);

        const county = await exchange(COORDINATOR, '/status');
        expect(county[0]!.text).toContain('全县台账');
        const status = await exchange(COORDINATOR, '/status 县民政局');
        expect(status[0]!.text).toContain('县民政局');
        // where only @-messages reach the bot in a group, help and the digest say to @ it
        const atOnly = !s.channel.capabilities.hearsAllGroupMessages;
        const helped = await exchange(LIAISON, '帮助');
        expect(helped[0]!.text.includes('@机器人')).toBe(atOnly);

        // the next working day's round, in the group the liaison speaks in
        const before = s.sent.length;
        clock.set(fromShanghai('2023-08-22 09:00')!);
        await bot.tick();
        await s.untilSent(before + 1);
        const round = s.sent.slice(before).find((m) => m.text.includes('【政务公开提醒】'))!;
        expect(round).toMatchObject({ conversation: { kind: 'room', id: s.group } });
        expect(round.mentions).toContain(LIAISON.id);
        expect(round.text.includes('「@机器人 完成 T编号')).toBe(atOnly);

        const exported = await exchange(COORDINATOR, '/export', 2);
        expect(exported[0]!.text).toContain('台账已导出');
        if (s.channel.capabilities.files) expect(exported[1]!.file).toMatch(/^工作台账-2023-2023-08-22\.xlsx$/);
        else expect(exported[1]!.text).toContain('无法发送文件');
        expect(texts().join('\n')).not.toContain('undefined');
      } finally {
        await bot.stop();
        db.$client.close();
        await s.close();
      }
    }, 60_000);
  });
}
