import { describe, expect, it } from 'vitest';
import { eventOccurrence, occurrences, singleDue } from '../schedules/due.js';
import { defaultLadder, ladderWindows, remindersDue } from '../schedules/ladder.js';
import { addDays } from '../schedules/calendar.js';
import { assignmentSpecs } from '../schedules/assignments.js';
import { calendar, item, plan } from './helpers.js';

const dates = { issueDate: plan.issueDate, year: plan.year };
const occ = (ref: string) => occurrences(item(ref).rule, dates, calendar);

describe('due-date rules', () => {
  it('gives one date for fixed and after-plan rules (T17: 2023-09-06)', () => {
    expect(singleDue(item('T17').rule, dates, calendar)).toBe('2023-09-06');
    expect(singleDue(item('T16').rule, dates, calendar)).toBe('2023-10-31');
    expect(singleDue(item('T5').rule, dates, calendar)).toBe('2023-12-31');
    expect(singleDue(item('T1').rule, dates, calendar)).toBeNull();
  });

  it('waits for an event: one standing occurrence, then one per reported event', () => {
    expect(occ('T12')).toEqual([{ key: '', due: null, estimated: false }]);
    const rule = item('T12').rule;
    if (rule.type !== 'after_event') throw new Error('T12 is an after-event task');
    expect(eventOccurrence(rule, '2023-09-20', calendar)).toEqual({ key: '2023-09-20', due: '2023-10-24', estimated: false });
    const c139 = item('C139').rule;
    if (c139.type !== 'after_event') throw new Error('C139 is an after-event item');
    expect(eventOccurrence(c139, '2026-02-12', calendar).due).toBe('2026-02-24');
    expect(eventOccurrence(c139, '2026-12-30', calendar)).toMatchObject({ due: '2027-01-05', estimated: true });
  });

  it('makes monthly, quarterly, yearly and two-weekly occurrences within the plan', () => {
    expect(occ('C30').map((o) => [o.key, o.due])).toEqual([
      ['2023-08', '2023-08-31'],
      ['2023-09', '2023-09-30'],
      ['2023-10', '2023-10-31'],
      ['2023-11', '2023-11-30'],
      ['2023-12', '2023-12-31'],
    ]);
    expect(occ('C32').map((o) => [o.key, o.due])).toEqual([
      ['2023-Q3', '2023-09-30'],
      ['2023-Q4', '2023-12-31'],
    ]);
    expect(occ('C43')).toEqual([{ key: '2024', due: '2024-01-31', estimated: false }]);
    expect(occ('C4')).toEqual([{ key: '', due: '2023-12-31', estimated: false }]);
    const biweekly = occ('C177');
    expect(biweekly[0]).toEqual({ key: '2023-08-23', due: '2023-08-23', estimated: false });
    expect(biweekly).toHaveLength(10);
    expect(biweekly.at(-1)!.due).toBe('2023-12-27');
  });

  it('turns 长期坚持 into a self-check before each quarterly inspection', () => {
    expect(occ('T19').map((o) => o.key)).toEqual(['2023-Q3', '2023-Q4']);
  });

  it('lists a ledger row per unit and occurrence, with lead and cooperating roles', () => {
    const specs = assignmentSpecs(plan, calendar);
    const t32 = specs.filter((s) => s.ref === 'T32');
    expect(t32.map((s) => [s.unit, s.unassignedLabel, s.role])).toEqual([
      ['县司法局', null, 'lead'],
      [null, '县政府重大行政决策承办单位', 'cooperating'],
      [null, '县政府行政规范性文件实施部门和部门行政规范性文件起草部门', 'cooperating'],
    ]);
    expect(specs.filter((s) => s.ref === 'T17')).toHaveLength(46);
    expect(specs.find((s) => s.ref === 'T17')!.due).toBe('2023-09-06');
  });
});

describe('the reminder ladder', () => {
  const open = [{ id: 1, due: '2023-10-31' }];
  const at = (day: string) => remindersDue(open, day, calendar).map((r) => r.key);

  it('reminds 10, 5, 3 and 1 working days before, and on the day', () => {
    // working days before 2023-10-31 (Tue): 10-17 is ten, 10-24 five, 10-26 three, 10-30 one
    expect(at('2023-10-17')).toEqual(['1:before-10']);
    expect(at('2023-10-18')).toEqual([]);
    expect(at('2023-10-24')).toEqual(['1:before-5']);
    expect(at('2023-10-26')).toEqual(['1:before-3']);
    expect(at('2023-10-30')).toEqual(['1:before-1']);
    expect(at('2023-10-31')).toEqual(['1:due']);
  });

  it('pings each working day once overdue and escalates from the third', () => {
    expect(at('2023-11-01')).toEqual(['1:overdue@2023-11-01']);
    expect(at('2023-11-02')).toEqual(['1:overdue@2023-11-02']);
    expect(remindersDue(open, '2023-11-03', calendar).map((r) => r.step)).toEqual([
      { kind: 'overdue', workdays: 3 },
      { kind: 'escalate', workdays: 3 },
    ]);
    expect(at('2023-11-06')).toEqual(['1:overdue@2023-11-06', '1:escalate']); // same key: sent once
  });

  it('is silent on weekends and holidays, and counts make-up Saturdays as working days', () => {
    expect(at('2023-11-04')).toEqual([]); // Saturday
    const national = [{ id: 2, due: '2023-10-09' }];
    expect(remindersDue(national, '2023-10-02', calendar)).toEqual([]); // 国庆
    // 10-07 (Sat) and 10-08 (Sun) are working days: the day before 10-09 is 10-08
    expect(remindersDue(national, '2023-10-08', calendar).map((r) => r.key)).toEqual(['2:before-1']);
    expect(remindersDue(national, '2023-10-07', calendar).map((r) => r.key)).toEqual([]);
    expect(remindersDue(national, '2023-09-26', calendar).map((r) => r.key)).toEqual(['2:before-5']); // across the holiday
  });

  it('reminds a due date on a rest day on the working day before it', () => {
    const yearEnd = [{ id: 3, due: '2023-12-31' }]; // a Sunday
    expect(remindersDue(yearEnd, '2023-12-29', calendar).map((r) => r.key)).toEqual(['3:due']);
    expect(remindersDue(yearEnd, '2024-01-02', calendar).map((r) => r.key)).toEqual(['3:overdue@2024-01-02']);
  });

  it('follows a changed ladder', () => {
    const ladder = { ...defaultLadder, before: [2], escalateAfter: 1, overdueDaily: false };
    expect(remindersDue(open, '2023-10-27', calendar, ladder).map((r) => r.key)).toEqual(['1:before-2']);
    expect(remindersDue(open, '2023-11-01', calendar, ladder).map((r) => r.key)).toEqual(['1:escalate']);
  });
});

describe('the ladder windows a round reads', () => {
  it('select exactly the rows that have a reminder on the day (besides overdue ones)', () => {
    const dues: string[] = [];
    for (let d = '2023-08-01'; d <= '2024-03-31'; d = addDays(d, 1)) dues.push(d);
    const rows = dues.map((due, id) => ({ id, due }));
    for (let today = '2023-09-01'; today <= '2024-01-31'; today = addDays(today, 1)) {
      const windows = ladderWindows(today, calendar);
      const inWindow = (due: string) => due < today || windows.some((w) => due >= w.from && due <= w.to);
      const all = remindersDue(rows, today, calendar).map((r) => r.key);
      const windowed = remindersDue(rows.filter((r) => inWindow(r.due)), today, calendar).map((r) => r.key);
      expect(windowed, today).toEqual(all);
      // and the windows are tight: every windowed, not overdue row gets a reminder
      const touched = new Set(remindersDue(rows, today, calendar).map((r) => r.row.id));
      expect(rows.filter((r) => r.due >= today && inWindow(r.due)).every((r) => touched.has(r.id)), today).toBe(true);
    }
  });

  it('never overlap, so a round reads no row twice, even when a ladder repeats a step', () => {
    for (const ladder of [defaultLadder, { ...defaultLadder, before: [5, 5, 1, 10, 1] }]) {
      for (let today = '2023-09-01'; today <= '2024-01-31'; today = addDays(today, 1)) {
        const windows = ladderWindows(today, calendar, ladder).sort((a, b) => (a.from < b.from ? -1 : 1));
        windows.slice(1).forEach((w, i) => expect(w.from > windows[i]!.to, `${today} ${JSON.stringify(windows)}`).toBe(true));
      }
    }
  });
});
