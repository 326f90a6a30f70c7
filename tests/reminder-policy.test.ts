import { describe, expect, it } from 'vitest';
import { handleMessage } from '../bot/core/inbound.js';
import { planRound, roundMessages, type Placement } from '../bot/core/reminders/rounds.js';
import { exportRows } from '../bot/core/ledger/export.js';
import { currentPlan } from '../db/queries.js';
import { recordReminders } from '../db/reminders.js';
import { unitSummaries } from '../db/status.js';
import { fromShanghai } from '../schedules/clock.js';
import { defaultLadder, firstWorkdayOfWeek, ladderSchema } from '../schedules/ladder.js';
import { ACTORS, freshLedger } from './fixture-ledger.js';
import { calendar } from './helpers.js';

// Issue 14's policy in small: the week's first working day, rows due before the plan was
// issued, the plan year's end, and a channel that cannot send privately.
const placement = (privateMessages: boolean): Placement => ({
  channel: 'test',
  privateMessages,
  groupOf: (ids) => new Map(ids.map((id) => [id, 'group'])),
  coordinatorRoom: () => ({ conversationId: 'group', contactIds: [ACTORS.coordinator.contactId] }),
});

describe('reminder policy', () => {
  it('knows the week\'s first working day, make-up days and holidays included', () => {
    expect(firstWorkdayOfWeek('2023-09-11', calendar)).toBe(true); // Monday
    expect(firstWorkdayOfWeek('2023-09-12', calendar)).toBe(false);
    expect(firstWorkdayOfWeek('2023-10-02', calendar)).toBe(false); // 国庆
    expect(firstWorkdayOfWeek('2023-10-07', calendar)).toBe(true); // make-up Saturday after 国庆
    expect(firstWorkdayOfWeek('2023-10-08', calendar)).toBe(false);
    expect(firstWorkdayOfWeek('2023-10-09', calendar)).toBe(true);
  });

  it('counts C192 (due 2023-01-31, before the plan was issued) as not applicable, never overdue', async () => {
    const { db, deps } = freshLedger();
    const plan = currentPlan(db)!;
    const c192 = exportRows(db, plan, calendar, '2023-09-04').filter((r) => r.ref === 'C192' && r.occurrence !== '2024');
    expect(c192.length).toBeGreaterThan(0);
    expect(new Set(c192.filter((r) => r.due! < plan.issueDate).map((r) => r.status))).toEqual(new Set(['notApplicable']));
    // on 2023-08-10 nothing can be overdue yet: the first due date after the issue date is 08-16
    expect(unitSummaries(db, plan.id, '2023-08-10', plan.issueDate).every((u) => u.overdue === 0)).toBe(true);
    const tasks = await handleMessage({ text: '我的任务 全部', addressed: true, actor: ACTORS.liaison, isCoordinator: false }, deps);
    expect(tasks?.text).not.toMatch(/C192 .*2023-01-31/);
    const status = await handleMessage({ text: '/status C192', addressed: true, actor: ACTORS.coordinator, isCoordinator: true }, deps);
    expect(status?.text).toMatch(/不适用（截止 2023-01-31/);
  });

  it('points the group to 我的任务 where the channel cannot send privately', () => {
    const { db } = freshLedger();
    const round = planRound(db, currentPlan(db)!, calendar, defaultLadder, fromShanghai('2023-09-06 09:00')!)!;
    const messages = roundMessages(round, placement(false), false, 1500);
    expect(messages.filter((m) => m.targetKind === 'contact')).toEqual([]);
    const digest = messages.find((m) => m.parts[0]!.startsWith('【政务公开提醒】'))!;
    expect(digest.parts.join('')).toMatch(/明细请发送「我的任务」查看/);
    expect(digest.parts.join('')).not.toMatch(/· T17/);
    // 'full' lists every item in the group, as before issue 14
    const full = planRound(db, currentPlan(db)!, calendar, ladderSchema.parse({ groupDigest: 'full' }), fromShanghai('2023-09-06 09:00')!)!;
    expect(roundMessages(full, placement(false), false, 1500)[0]!.parts.join('')).toMatch(/· T17 /);
  });

  it('after the plan year, stops chasing liaisons and tells the coordinator weekly', () => {
    const { db } = freshLedger();
    const plan = currentPlan(db)!;
    const monday = planRound(db, plan, calendar, defaultLadder, fromShanghai('2024-02-05 09:00')!)!;
    expect([monday.yearOver, monday.weekly]).toEqual([true, true]);
    const messages = roundMessages(monday, placement(true), false, 1500);
    expect(messages.filter((m) => m.targetKind === 'contact')).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.parts.join('')).toMatch(/【每日汇总】2024-02-05 周一\n[^]*方案年度已结束[^]*\n逾期未完成：.*县民政局\d+项/);
    expect(messages[0]!.parts.join('').length).toBeLessThanOrEqual(1500);
    recordReminders(db, monday.intents, messages, '2024-02-05T01:00:00Z');
    const tuesday = planRound(db, plan, calendar, defaultLadder, fromShanghai('2024-02-06 09:00')!)!;
    expect(roundMessages(tuesday, placement(true), false, 1500)).toEqual([]);
  });
});
