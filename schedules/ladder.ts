import { z } from 'zod';
import { addDays, type WorkCalendar } from './calendar.js';

/** The reminder ladder (提醒梯度) and how a round is delivered; the coordinator can change each in config. */
export const ladderSchema = z.object({
  /** working days before the due date on which a reminder goes out */
  before: z.array(z.number().int().positive()).default([10, 5, 3, 1]),
  /** remind on the due day itself */
  onDueDay: z.boolean().default(true),
  /** once overdue, remind each working day */
  overdueDaily: z.boolean().default(true),
  /** tell the coordinator when an item is this many working days overdue */
  escalateAfter: z.number().int().positive().default(3),
  /** the group gets one line per liaison with something new ('summary'), or every item ('full') */
  groupDigest: z.enum(['summary', 'full']).default('summary'),
  /** each liaison's items go to them privately, where the channel can send privately */
  private: z.boolean().default(true),
  /** items overdue for a while are listed once a week ('weekly') or in every round ('daily') */
  overdueDetail: z.enum(['weekly', 'daily']).default('weekly'),
});
export type Ladder = z.infer<typeof ladderSchema>;
export const defaultLadder: Ladder = ladderSchema.parse({});

/** What the ledger knows of one open (item, unit, occurrence). */
export type OpenAssignment = { id: number; due: string };

export type ReminderStep =
  | { kind: 'before'; workdays: number }
  | { kind: 'due' }
  | { kind: 'overdue'; workdays: number }
  | { kind: 'escalate'; workdays: number };

export type DueReminder<T extends OpenAssignment = OpenAssignment> = {
  assignmentId: number;
  row: T;
  step: ReminderStep;
  /** the step's name in keys, see stepKey */
  stepKey: string;
  /** the day the reminder falls due (the round's day) */
  day: string;
  /** identifies the reminder for exactly-once sending: (assignment, step[, day]) */
  key: string;
};

/**
 * Whether `today` is the week's first working day (Monday, or the first after a holiday or a
 * make-up working day earlier in the week): the day weekly lists go out.
 */
export function firstWorkdayOfWeek(today: string, calendar: WorkCalendar): boolean {
  if (!calendar.isWorkday(today)) return false;
  const sinceMonday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  for (let i = 1; i <= sinceMonday; i++) if (calendar.isWorkday(addDays(today, -i))) return false;
  return true;
}

/** Whether a step name is of a daily overdue ping (its key holds the day). */
export const isDailyStep = (stepKey: string) => stepKey.startsWith('overdue@');

/** A step's name in reminder keys; overdue pings are daily, so their key holds the day. */
export function stepKey(step: ReminderStep, today: string): string {
  switch (step.kind) {
    case 'before':
      return `before-${step.workdays}`;
    case 'due':
      return 'due';
    case 'overdue':
      return `overdue@${today}`;
    case 'escalate':
      return 'escalate';
  }
}

/**
 * Which reminders fall due on `today` (a date in Asia/Shanghai) for the open assignments.
 * Nothing on a day that is not a working day. A due date on a rest day is reminded on the
 * working day before it; overdue counting starts the first working day after it.
 */
export function remindersDue<T extends OpenAssignment>(open: T[], today: string, calendar: WorkCalendar, ladder: Ladder = defaultLadder): DueReminder<T>[] {
  if (!calendar.isWorkday(today)) return [];
  const out: DueReminder<T>[] = [];
  // many assignments share a due date: work out the steps once per date
  const byDue = new Map<string, { step: ReminderStep; stepKey: string }[]>();
  for (const a of open) {
    let steps = byDue.get(a.due);
    if (!steps) byDue.set(a.due, (steps = stepsFor(a.due, today, calendar, ladder).map((step) => ({ step, stepKey: stepKey(step, today) }))));
    for (const s of steps) out.push({ assignmentId: a.id, row: a, step: s.step, stepKey: s.stepKey, day: today, key: `${a.id}:${s.stepKey}` });
  }
  return out;
}

function stepsFor(due: string, today: string, calendar: WorkCalendar, ladder: Ladder): ReminderStep[] {
  const dueDay = calendar.workdayOnOrBefore(due);
  if (today < dueDay) {
    const left = calendar.workdaysBetween(today, dueDay);
    return ladder.before.includes(left) ? [{ kind: 'before', workdays: left }] : [];
  }
  if (today === dueDay) return ladder.onDueDay ? [{ kind: 'due' }] : [];
  if (today <= due) return [];
  const late = calendar.workdaysBetween(due, today);
  const steps: ReminderStep[] = [];
  if (ladder.overdueDaily) steps.push({ kind: 'overdue', workdays: late });
  if (late >= ladder.escalateAfter) steps.push({ kind: 'escalate', workdays: late });
  return steps;
}

/**
 * The due dates a round on `today` can touch, besides overdue ones: for each ladder step n
 * (and the due day), the n-th working day after today and the rest days right after it. A
 * round reads only these rows and the overdue ones, not the whole ledger.
 */
export function ladderWindows(today: string, calendar: WorkCalendar, ladder: Ladder = defaultLadder): { from: string; to: string }[] {
  if (!calendar.isWorkday(today)) return [];
  // distinct steps give disjoint windows, so a round reads no row twice
  const steps = [...new Set([...ladder.before, ...(ladder.onDueDay ? [0] : [])])];
  return steps.map((n) => {
    const from = n === 0 ? today : calendar.workdaysAfter(today, n).date;
    return { from, to: addDays(calendar.workdaysAfter(from, 1).date, -1) };
  });
}
