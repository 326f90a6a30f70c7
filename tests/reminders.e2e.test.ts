import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../bot/cli/cli.js';
import { addDays } from '../schedules/calendar.js';
import { recordingIo, tempDir } from './helpers.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

// Five months of the 2023 plan on the simulator: two liaisons, an after-event report,
// a restart just after a round, a logout across a round time, and one completion.
const TRANSCRIPT = `
! coordinator 张主任
@2023-08-10 10:00
王芳: 绑定 县民政局
张主任: 批准 王芳
刘洋: 绑定 县财政局
张主任: 批准 刘洋
@2023-09-20 15:00
王芳: 信息形成 T12 2023-09-20
@2023-10-08 09:30
王芳: 提醒我
@2023-10-11 09:05
! restart
@2023-10-11 09:30
! logout
@2023-10-12 08:00
! login
@2023-10-20 10:00
刘洋: 完成 T16 https://www.yiyuan.gov.cn/art/2023/10/20/a.html
@2024-01-31 18:00
`;

type Block = { date: string; time: string; where: string; who: string; text: string };
let blocks: Block[] = [];

// The official schedule, independent of the product's calendar library.
const official = JSON.parse(readFileSync(new URL('./fixtures/official-2022-2026.json', import.meta.url), 'utf8')) as {
  years: Record<string, { days: { date: string; isOffDay: boolean }[] }>;
};
const offDays = new Map(Object.values(official.years).flatMap((y) => y.days.map((d) => [d.date, d.isOffDay] as const)));
const isWorkday = (date: string) => {
  const off = offDays.get(date);
  if (off !== undefined) return !off;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
};

/** Round messages: the group's digest and each liaison's private details. */
const digests = () => blocks.filter((b) => b.who === 'bot' && b.text.startsWith('【政务公开提醒】'));
const groupDigests = () => digests().filter((d) => d.where === '政务公开联络群');
/** One liaison's private details of each day, after the header line. */
function sectionOf(name: string): Map<string, string> {
  return new Map(digests().filter((d) => d.where === `私聊 ${name}`).map((d) => [d.date, d.text.slice(d.text.indexOf('\n') + 1)]));
}
/** The days an item was listed under a due date reading `left` (还有10个工作日, 今天到期 …). */
const daysWith = (section: Map<string, string>, ref: string, left: string) =>
  [...section].filter(([, s]) => new RegExp(`（${left}）：\\n(· .*\\n)*· ${ref} `).test(s)).map(([d]) => d);

beforeAll(async () => {
  const file = join(tempDir(), 'span.txt');
  writeFileSync(file, TRANSCRIPT);
  const { io, out, err } = recordingIo();
  expect(await main(['simulate', file], io)).toBe(0);
  expect(err).toEqual([]);
  blocks = out.map((b) => {
    const m = /^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})\] (.+?) \| (.+?): ([\s\S]*)$/.exec(b)!;
    return { date: m[1]!, time: m[2]!, where: m[3]!, who: m[4]!, text: m[5]!.replace(/\n {2}/g, '\n') };
  });
}, 180_000);

describe('reminder rounds over Aug 2023 – Jan 2024', () => {
  it('sends nothing unprompted on a weekend or holiday, and rounds on the make-up days 2023-10-07 and 10-08', () => {
    const unprompted = blocks.filter((b) => b.who === 'bot' && /^(@\S+ )*【/.test(b.text));
    expect(unprompted.length).toBeGreaterThan(30);
    expect(unprompted.filter((b) => !isWorkday(b.date)).map((b) => b.date)).toEqual([]);
    const days = new Set(digests().map((d) => d.date));
    // 10-07 is the week's first working day (its full overdue list); on 10-08 提醒我 is answered as on any working day
    expect(days.has('2023-10-07')).toBe(true);
    expect(blocks.find((b) => b.date === '2023-10-08' && b.who === 'bot')!.text).toMatch(/^@王芳 (【政务公开提醒】2023-10-08 周日|今天没有新的提醒)/);
    for (let d = '2023-09-29'; d <= '2023-10-06'; d = addDays(d, 1)) expect(days.has(d)).toBe(false);
  });

  it('sends one digest per group per round, also on the day of a restart and of a re-login', () => {
    const perDay = new Map<string, Block[]>();
    for (const d of digests()) perDay.set(d.date, [...(perDay.get(d.date) ?? []), d]);
    for (const [date, parts] of [...perDay].map(([d, ps]) => [d, ps.filter((p) => p.where === '政务公开联络群')] as const)) {
      // a digest is split only when one message would be too long (1,500 characters by default)
      expect(parts.filter((p) => !p.text.split('\n')[0]!.endsWith('（续）')).length, date).toBeLessThanOrEqual(1);
      if (parts.length > 1) expect(parts[0]!.text.length + parts[1]!.text.length, date).toBeGreaterThan(1500);
    }
    expect(groupDigests().length).toBeGreaterThan(10);
    expect(perDay.get('2023-10-11')!.length).toBeGreaterThan(0);
    // each liaison hears of a round at most once privately
    for (const [date, parts] of perDay) expect(parts.filter((p) => p.where === '私聊 王芳').length, date).toBeLessThanOrEqual(1);
    // each liaison is @mentioned once in a digest, with their own unit only
    for (const d of groupDigests()) {
      expect(d.text.match(/@王芳/g)?.length ?? 0).toBeLessThanOrEqual(1);
      expect(d.text.match(/@刘洋/g)?.length ?? 0).toBeLessThanOrEqual(1);
    }
    const wang = sectionOf('王芳');
    expect([...wang.values()].every((s) => s.startsWith('县民政局：') && !s.includes('县财政局'))).toBe(true);
    // the group line says what is new, in a few words
    expect(groupDigests().find((d) => d.date === '2023-08-23')!.text).toMatch(/@王芳 县民政局：.*10个工作日后到期\d+项/);
  });

  it('walks the ladder for an after-plan item (T17, due 2023-09-06); once overdue, listed on the week\'s first working day', () => {
    const wang = sectionOf('王芳');
    expect(daysWith(wang, 'T17', '还有10个工作日')).toEqual(['2023-08-23']);
    expect(daysWith(wang, 'T17', '还有5个工作日')).toEqual(['2023-08-30']);
    expect(daysWith(wang, 'T17', '还有3个工作日')).toEqual(['2023-09-01']);
    expect(daysWith(wang, 'T17', '还有1个工作日')).toEqual(['2023-09-05']);
    expect(daysWith(wang, 'T17', '今天到期')).toEqual(['2023-09-06']);
    expect(daysWith(wang, 'T17', '已逾期1个工作日')).toEqual(['2023-09-07']);
    // overdue since: on Mondays only (09-11 is the 3rd working day overdue), not in between
    expect(daysWith(wang, 'T17', '已逾期\\d+个工作日').slice(0, 4)).toEqual(['2023-09-07', '2023-09-11', '2023-09-18', '2023-09-25']);
  });

  it('walks the ladder for a fixed item (T16, due 2023-10-31) and stops once it is done', () => {
    const wang = sectionOf('王芳');
    expect(daysWith(wang, 'T16', '(还有(10|5|3|1)个工作日|今天到期)')).toEqual(['2023-10-17', '2023-10-24', '2023-10-26', '2023-10-30', '2023-10-31']);
    const liu = sectionOf('刘洋');
    expect(daysWith(liu, 'T16', '.*')).toEqual(['2023-10-17']); // done on 10-20: never reminded again
  });

  it('walks the ladder for an after-event occurrence (T12 formed 2023-09-20, due 2023-10-24)', () => {
    const wang = sectionOf('王芳');
    expect(daysWith(wang, 'T12（2023-09-20）', '(还有(10|5|3|1)个工作日|今天到期)')).toEqual([
      '2023-10-10',
      '2023-10-17',
      '2023-10-19',
      '2023-10-23',
      '2023-10-24',
    ]);
  });

  it('tells the coordinator once when an item is 3 working days overdue', () => {
    const notices = blocks.filter((b) => b.who === 'bot' && b.text.includes('【逾期通报】'));
    expect(notices.every((n) => n.text.startsWith('@张主任 '))).toBe(true);
    const t17 = notices.filter((n) => /\nT17（已逾期\d+个工作日）/.test(n.text));
    expect(t17.map((n) => n.date)).toEqual(['2023-09-11']);
    expect(t17[0]!.text).toMatch(/\nT17（已逾期3个工作日）：.*县民政局/);
  });
});
