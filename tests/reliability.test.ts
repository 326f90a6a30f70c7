// Faults and floods, each reproduced: what the bot does when writing fails, the disk is full, the
// process died mid-message, the clock jumps, a ledger is newer than the bot, or someone floods it.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonBot } from '../bot/runtime/bot.js';
import { VirtualClock } from '../bot/runtime/clock.js';
import { configSchema } from '../bot/runtime/config.js';
import { silentLog } from '../bot/runtime/log.js';
import { ensurePlan } from '../bot/runtime/setup.js';
import { Outbox, RETRY_LIMIT } from '../bot/outbox/outbox.js';
import { backupLedger } from '../db/backup.js';
import { privateDir, writeWhole } from '../db/files.js';
import { storeInbound } from '../db/inbox.js';
import { liveLease, releaseLease, takeLease } from '../db/lease.js';
import { decideRequest, requestBinding, unitByName } from '../db/liaisons.js';
import { LedgerError, openLedger, type Ledger } from '../db/open.js';
import { enqueue, PRIORITY, type OutboxRow } from '../db/outbox.js';
import { currentPlan } from '../db/queries.js';
import { inbox, outbox, reports, rounds } from '../db/schema.js';
import { exportRows } from '../bot/core/ledger/export.js';
import { fromShanghai } from '../schedules/clock.js';
import { seedFiles } from '../seeds/files.js';
import { FakeChannel } from './channels/fake.js';
import { calendar, directory, resolver, tempDir } from './helpers.js';

const LIAISON = { id: 'c-wang', name: '王芳' };
const COORDINATOR = { id: 'c-coord', name: '张主任' };
const STRANGER = { id: 'c-x', name: '路人' };

/** The real bot on a fake channel, a fresh ledger with the 2023 plan and 王芳 bound to 县民政局. */
async function start(at = '2023-08-21 08:00', path = join(tempDir(), 'ledger.db')) {
  const db = openLedger(path);
  ensurePlan(db, seedFiles.plan, directory, calendar, '2023-08-10T01:00:00Z');
  if (!currentPlan(db)) throw new Error('no plan');
  const r = requestBinding(db, { contactId: LIAISON.id, name: LIAISON.name, unitId: unitByName(db, '县民政局')!.id, now: '2023-08-10T01:00:00Z' });
  if (r.outcome === 'requested') decideRequest(db, r.binding.id, 'approved', '张主任', '2023-08-10T01:00:00Z');
  const clock = new VirtualClock(fromShanghai(at)!);
  const config = configSchema.parse({ coordinators: [{ name: COORDINATOR.name, contactId: COORDINATOR.id }], outbox: { minGapMs: 1000, jitterMs: 0 } });
  const channel = new FakeChannel();
  const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, channel, random: () => 0 });
  await bot.start();
  return { db, clock, channel, bot };
}

let open: Ledger[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.$client.close();
});
const track = <T extends { db: Ledger }>(env: T) => (open.push(env.db), env);

describe('nothing lost: every message is stored before it is handled', () => {
  it('answers "received, later" when handling fails, and handles it at the next tick', async () => {
    const env = track(await start());
    // writing a report fails, as it would with the ledger locked by another program
    env.db.$client.exec(`create trigger fail_reports before insert on reports begin select raise(abort, 'database is locked'); end`);
    await env.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html');
    expect(env.channel.texts()).toEqual(['@c-wang 已收到，稍后处理。']);
    expect(env.db.select().from(reports).all()).toEqual([]);
    expect(env.db.select().from(inbox).all()[0]).toMatchObject({ status: 'pending', attempts: 1 });
    env.db.$client.exec('drop trigger fail_reports');
    await env.bot.tick();
    expect(env.channel.texts()[1]).toContain('已记录：县民政局 T17 完成');
    expect(env.db.select().from(reports).all()).toHaveLength(1);
    expect(env.db.select().from(inbox).all()[0]).toMatchObject({ status: 'handled' });
  });

  it('says plainly when it could not even store the message (disk full), and records nothing', async () => {
    const env = track(await start());
    const pages = env.db.$client.pragma('page_count', { simple: true }) as number;
    env.db.$client.pragma(`max_page_count = ${pages}`);
    await env.channel.say(LIAISON, `完成 T17 https://www.yiyuan.gov.cn/a.html ${'说明'.repeat(3000)}`);
    expect(env.channel.texts()).toEqual(['@c-wang 暂时无法记录这条消息，请稍后重发。']);
    expect(env.db.select().from(reports).all()).toEqual([]);
    env.db.$client.pragma('max_page_count = 1073741823');
    await env.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html');
    expect(env.channel.texts()[1]).toContain('已记录');
  });

  it('keeps answers waiting while the channel is disconnected, counting no failed attempt', async () => {
    const env = track(await start());
    env.channel.connected = false;
    for (let i = 0; i < 12; i++) {
      await env.bot.outbox.drain();
      env.clock.set(new Date(env.clock.now().getTime() + 30 * 60_000));
    }
    await env.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html');
    for (let i = 0; i < 12; i++) await env.bot.tick();
    expect(env.db.select().from(outbox).all().map((m) => [m.status, m.attempts])).toEqual([['pending', 0]]);
    env.channel.connected = true;
    await env.bot.outbox.loggedIn();
    expect(env.channel.texts().at(-1)).toContain('已记录：县民政局 T17 完成');
  });

  it('handles at the next start what a crash left unhandled, once', async () => {
    const path = join(tempDir(), 'ledger.db');
    const first = await start('2023-08-21 08:00', path);
    // stored, then the process died before handling it
    storeInbound(first.db, 'fake', 'm-crash', {
      channel: 'fake',
      id: 'm-crash',
      conversation: { kind: 'room', id: 'g1' },
      sender: LIAISON,
      text: '完成 T17 https://www.yiyuan.gov.cn/a.html',
      mentionsBot: false,
    }, first.clock.now().toISOString());
    await first.bot.stop();
    first.db.$client.close();
    const again = track(await start('2023-08-21 08:05', path));
    expect(again.channel.texts().some((t) => t.includes('已记录：县民政局 T17 完成'))).toBe(true);
    expect(again.db.select().from(reports).all()).toHaveLength(1);
    // the channel delivering the same message again changes nothing
    await again.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html', 'g1', 'm-crash');
    expect(again.db.select().from(reports).all()).toHaveLength(1);
  });

  it('refuses a ledger written by a newer release, in a sentence', () => {
    const path = join(tempDir(), 'ledger.db');
    openLedger(path).$client.exec(`insert into __drizzle_migrations (hash, created_at) values ('future', 99999999999999)`);
    expect(() => openLedger(path)).toThrow(LedgerError);
    expect(() => openLedger(path)).toThrow(/was written by a newer release of the bot; update the bot/);
  });
});

describe('one bot per ledger', () => {
  it('a lease is refused while its holder renews it, and passes on once it lapses', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    open.push(db);
    const a = { holder: 'a', pid: 1, host: 'h' };
    const b = { holder: 'b', pid: 2, host: 'h' };
    const t = (min: number) => new Date(Date.UTC(2023, 8, 4, 1, min));
    expect(takeLease(db, a, t(0), 3 * 60_000)).toBeNull();
    expect(takeLease(db, b, t(1), 3 * 60_000)).toMatchObject({ holder: 'a', pid: 1 });
    expect(takeLease(db, a, t(2), 3 * 60_000)).toBeNull(); // renewed
    expect(takeLease(db, b, t(4), 3 * 60_000)).toMatchObject({ holder: 'a' });
    // a stalled for longer than the lease: b takes over, and a's next renewal is refused
    expect(takeLease(db, b, t(6), 3 * 60_000)).toBeNull();
    expect(takeLease(db, a, t(7), 3 * 60_000)).toMatchObject({ holder: 'b', pid: 2 });
    releaseLease(db, b);
    expect(liveLease(db, t(7))).toBeUndefined();
  });
});

describe('the outbox as a queue', () => {
  const setup = (random = () => 0) => {
    const path = join(tempDir(), 'ledger.db');
    const db = openLedger(path);
    open.push(db);
    const clock = new VirtualClock(new Date('2023-09-04T01:00:00Z'));
    const sent: OutboxRow[] = [];
    let failing = false;
    const given: OutboxRow[] = [];
    const box = new Outbox(db, clock, { minGapMs: 3000, jitterMs: 0, dailyCap: 1000 }, async (m) => {
      if (failing) throw new Error('down');
      sent.push(m);
    }, silentLog, random, () => 0, (m) => given.push(m));
    return { db, path, clock, sent, box, given, fail: (f: boolean) => (failing = f) };
  };
  const msg = (text: string, priority?: number) => ({ channel: 'fake', target: 'g1', targetKind: 'room' as const, parts: [text], mentions: [], priority });

  it('sends answers before a round, and a round before bulk notices', async () => {
    const { db, box, sent, clock } = setup();
    enqueue(db, [msg('notice', PRIORITY.bulk), ...Array.from({ length: 5 }, (_, i) => msg(`round ${i}`, PRIORITY.round)), msg('answer')], clock.now().toISOString());
    await box.drain();
    expect(sent.map((m) => m.parts[0])).toEqual(['answer', 'round 0', 'round 1', 'round 2', 'round 3', 'round 4', 'notice']);
  });

  it('gives a message up after the retry limit, once, instead of retrying forever', async () => {
    const { db, box, sent, clock, given, fail } = setup();
    fail(true);
    enqueue(db, [msg('never')], clock.now().toISOString());
    for (let i = 0; i < RETRY_LIMIT + 3; i++) {
      await box.drain();
      clock.set(new Date(clock.now().getTime() + 60 * 60_000));
    }
    expect(sent).toEqual([]);
    expect(given.map((m) => m.parts[0])).toEqual(['never']);
    expect(db.select().from(outbox).all()[0]).toMatchObject({ status: 'failed', attempts: RETRY_LIMIT });
  });

  it('never sends a row twice with two drainers on one ledger', async () => {
    const a = setup();
    enqueue(a.db, Array.from({ length: 40 }, (_, i) => msg(`m${i}`)), a.clock.now().toISOString());
    // a second process: its own connection, its own clock and outbox, the same file
    const db2 = openLedger(a.path);
    open.push(db2);
    const sent2: OutboxRow[] = [];
    const b = new Outbox(db2, new VirtualClock(a.clock.now()), { minGapMs: 2000, jitterMs: 0, dailyCap: 1000 }, async (m) => void sent2.push(m), silentLog);
    await Promise.all([a.box.drain(), b.drain(), a.box.drain(), b.drain()]);
    const ids = [...a.sent, ...sent2].map((m) => m.id).sort((x, y) => x - y);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(a.sent.length).toBeGreaterThan(0);
    expect(sent2.length).toBeGreaterThan(0);
  });

  it('is not stalled by a wall clock stepped back: pacing runs on the monotonic clock', async () => {
    const { db, box, sent, clock } = setup();
    enqueue(db, [msg('a'), msg('b')], clock.now().toISOString());
    const monoBefore = clock.monotonic();
    clock.step(-40_000);
    await box.drain();
    expect(sent.map((m) => m.parts[0])).toEqual(['a', 'b']);
    // the gap between the two was the configured 3 s, not 3 s plus the 40 s step
    expect(clock.monotonic() - monoBefore).toBe(3000);
  });
});

describe('the clock', () => {
  it('neither runs a future day early nor skips it when the clock jumps forward a week and is corrected', async () => {
    const env = track(await start('2023-08-21 08:00'));
    env.clock.set(fromShanghai('2023-08-21 09:00')!);
    await env.bot.tick();
    const monday = env.db.select().from(rounds).all().map((r) => r.day);
    expect(monday).toEqual(['2023-08-21']);
    // someone sets the clock a week ahead, then it is corrected a few minutes later
    env.clock.step(7 * 24 * 60 * 60_000);
    await env.bot.tick();
    expect(env.db.select().from(rounds).all().map((r) => r.day)).toEqual(['2023-08-21']);
    env.clock.step(-7 * 24 * 60 * 60_000);
    env.clock.set(fromShanghai('2023-08-28 09:00')!);
    await env.bot.tick();
    expect(env.db.select().from(rounds).all().map((r) => r.day)).toEqual(['2023-08-21', '2023-08-28']);
  });

  it('runs a day claimed while the clock was ahead when that day really comes', async () => {
    const env = track(await start('2023-08-21 08:00'));
    // a claim a wrong clock made for a day to come (an earlier process, say)
    env.db.insert(rounds).values({ day: '2023-08-22', ranAt: '2023-08-22T01:00:00Z', late: false }).run();
    await env.bot.tick();
    expect(env.db.select().from(rounds).all().map((r) => r.day)).toEqual([]);
    env.clock.set(fromShanghai('2023-08-22 09:00')!);
    await env.bot.tick();
    expect(env.db.select().from(rounds).all().map((r) => r.day)).toEqual(['2023-08-22']);
  });
});

describe('floods', () => {
  it('answers one sender ten times a minute, says once to slow down, then stays silent', async () => {
    const env = track(await start());
    for (let i = 0; i < 1000; i++) await env.channel.say(STRANGER, '帮助');
    const texts = env.channel.texts();
    expect(texts).toHaveLength(11);
    expect(texts.at(-1)).toBe('@c-x 发送太频繁，请一分钟后再试。');
    // the liaison is not held up by the flood
    await env.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html');
    expect(env.channel.texts().at(-1)).toContain('已记录');
    env.clock.set(new Date(env.clock.now().getTime() + 60_000));
    await env.channel.say(STRANGER, '帮助');
    expect(env.channel.texts()).toHaveLength(13);
  }, 60_000);

  it('answers a 100 KB message from a stranger once, echoing at most 50 characters of it', async () => {
    const env = track(await start());
    const huge = '县'.repeat(100_000);
    for (const text of [`绑定 ${huge}`, `/${huge}`, `完成 T5 ${huge}`, `查询 ${huge}`, `信息形成 T12 ${huge}`]) {
      const before = env.channel.sent.length;
      await env.channel.say(STRANGER, text, null);
      const replies = env.channel.texts().slice(before);
      expect(replies.length, text.slice(0, 10)).toBeLessThanOrEqual(1);
      for (const r of replies) expect(r.length, r.slice(0, 60)).toBeLessThan(300);
      env.clock.set(new Date(env.clock.now().getTime() + 60_000));
    }
  });

  it('/remind repeats no notice or reminder already sent today', async () => {
    const env = track(await start('2023-08-21 09:00'));
    // the day's round ran at the start; no coordinator was heard in a group yet: privately to the one configured by id
    const summary = env.channel.sent.find((e) => e.parts.join('').includes('【待绑定】'))!;
    expect(summary.conversation).toEqual({ kind: 'contact', id: COORDINATOR.id });
    await env.channel.say(COORDINATOR, '大家好');
    const sentByRound = env.channel.texts().length;
    for (let i = 0; i < 3; i++) await env.channel.say(COORDINATOR, '发送提醒');
    const after = env.channel.texts().slice(sentByRound);
    // three answers saying what was queued, and nothing else
    expect(after).toHaveLength(3);
    expect(after.filter((t) => /【(待绑定|每日汇总|逾期通报|政务公开提醒)】/.test(t))).toEqual([]);
  });

  it('limits a stranger to three binding requests a day', async () => {
    const env = track(await start());
    const units = ['县财政局', '县商务局', '县公安局', '县司法局', '县审计局'];
    for (const u of units) await env.channel.say(STRANGER, `绑定 ${u}`, 'g1');
    const replies = env.channel.texts().filter((t) => t.startsWith('@c-x'));
    expect(replies.slice(0, 3).every((t) => t.includes('已提交申请'))).toBe(true);
    expect(replies.slice(3)).toEqual(['@c-x 今天已提交3个绑定申请，请等协调员处理后再申请。', '@c-x 今天已提交3个绑定申请，请等协调员处理后再申请。']);
    expect(env.channel.texts().filter((t) => t.includes('申请成为'))).toHaveLength(3);
  });
});

describe('as of a date, and files written whole', () => {
  it('shows the ledger as it stood: later completions open', async () => {
    const env = track(await start('2023-08-30 10:00'));
    await env.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html');
    const plan = currentPlan(env.db)!;
    const t17 = (at: string) => exportRows(env.db, plan, calendar, at).find((r) => r.ref === 'T17' && r.unit === '县民政局')!;
    expect(t17('2023-08-30')).toMatchObject({ status: 'done', evidence: 'https://www.yiyuan.gov.cn/a.html' });
    expect(t17('2023-08-29')).toMatchObject({ status: 'pending', doneAt: null, evidence: null });
  });

  it('keeps the ledger, its log and what is written from it to the bot\'s user (0600, folders 0700)', async () => {
    const dir = join(tempDir(), 'data');
    const env = track(await start('2023-08-21 08:00', join(dir, 'ledger.db')));
    await env.channel.say(LIAISON, '完成 T17 https://www.yiyuan.gov.cn/a.html');
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm']) expect(mode(join(dir, f)), f).toBe(0o600);
    const backup = join(dir, 'backups', 'copy.db');
    privateDir(dirname(backup));
    await backupLedger(env.db, backup);
    expect(mode(backup)).toBe(0o600);
    expect(mode(dirname(backup))).toBe(0o700);
  });

  it('leaves the previous file whole when writing fails midway', async () => {
    const path = join(tempDir(), '工作台账.xlsx');
    writeFileSync(path, 'the previous workbook');
    await expect(
      writeWhole(path, (tmp) => {
        writeFileSync(tmp, 'half a work');
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(readFileSync(path, 'utf8')).toBe('the previous workbook');
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });
});
