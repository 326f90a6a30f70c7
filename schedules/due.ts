import type { Rule } from '../seeds/plan-types.js';
import { addDays, type WorkCalendar } from './calendar.js';

/** One round of an item for a unit: the whole item, a month, a quarter, or one reported event. */
export type Occurrence = {
  /** '' for an item done once; '2023-09', '2023-Q4', '2024', or an event's date otherwise */
  key: string;
  due: string | null;
  /** the due date depends on a year with no official holiday schedule */
  estimated: boolean;
};

export type PlanDates = { issueDate: string; year: number };

const pad = (n: number) => String(n).padStart(2, '0');
const monthEnd = (y: number, m: number) => `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
export const quarterOf = (date: string) => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
const fixed = (due: string): Occurrence => ({ key: '', due, estimated: false });

/** The plan runs from its issue date to the end of its year. */
const planEnd = (plan: PlanDates) => `${plan.year}-12-31`;

function monthly(plan: PlanDates): Occurrence[] {
  const out: Occurrence[] = [];
  for (let m = Number(plan.issueDate.slice(5, 7)); m <= 12; m++) {
    out.push({ key: `${plan.year}-${pad(m)}`, due: monthEnd(plan.year, m), estimated: false });
  }
  return out;
}

function quarterly(plan: PlanDates): Occurrence[] {
  const out: Occurrence[] = [];
  for (let q = quarterOf(plan.issueDate); q <= 4; q++) {
    out.push({ key: `${plan.year}-Q${q}`, due: monthEnd(plan.year, q * 3), estimated: false });
  }
  return out;
}

function everyWeeks(plan: PlanDates, weeks: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (let due = addDays(plan.issueDate, weeks * 7); due <= planEnd(plan); due = addDays(due, weeks * 7)) {
    out.push({ key: due, due, estimated: false });
  }
  return out;
}

/** A yearly date (每年1月31日前): the first one on or after the plan's issue date. */
function yearly(plan: PlanDates, month: number, day: number): Occurrence[] {
  let year = plan.year;
  if (`${year}-${pad(month)}-${pad(day)}` < plan.issueDate) year++;
  return [{ key: String(year), due: `${year}-${pad(month)}-${pad(day)}`, estimated: false }];
}

/**
 * The occurrences a rule gives within the plan. After-event and 及时公开 items have one
 * standing occurrence with no date until an event is reported or the coordinator sets one.
 */
export function occurrences(rule: Rule, plan: PlanDates, calendar: WorkCalendar): Occurrence[] {
  switch (rule.type) {
    case 'fixed':
      return [fixed(rule.date)];
    case 'after_plan': {
      if (rule.calendarDays) return [{ key: '', due: addDays(plan.issueDate, rule.workdays), estimated: false }];
      const r = calendar.workdaysAfter(plan.issueDate, rule.workdays);
      return [{ key: '', due: r.date, estimated: r.estimated }];
    }
    case 'after_event':
    case 'asap':
      return [{ key: '', due: null, estimated: false }];
    case 'ongoing':
      // 长期坚持: a self-check before each quarterly inspection (季度检查)
      return quarterly(plan);
    case 'recurring':
      switch (rule.every) {
        case 'month':
          return monthly(plan);
        case 'quarter':
          return quarterly(plan);
        case 'week':
          return everyWeeks(plan, rule.interval);
        case 'year':
          // 至少每隔2年: once within this plan, by its year's end
          return rule.month && rule.day ? yearly(plan, rule.month, rule.day) : [fixed(planEnd(plan))];
      }
  }
}

/** The single due date a rule gives, when it gives exactly one (fixed and after-plan rules). */
export function singleDue(rule: Rule, plan: PlanDates, calendar: WorkCalendar): string | null {
  if (rule.type !== 'fixed' && rule.type !== 'after_plan') return null;
  return occurrences(rule, plan, calendar)[0]!.due;
}

/** The occurrence an event starts (信息形成 2023-09-20 → due 20 working days later). */
export function eventOccurrence(rule: Rule & { type: 'after_event' }, eventDate: string, calendar: WorkCalendar): Occurrence {
  if (rule.calendarDays) return { key: eventDate, due: addDays(eventDate, rule.workdays), estimated: false };
  const r = calendar.workdaysAfter(eventDate, rule.workdays);
  return { key: eventDate, due: r.date, estimated: r.estimated };
}

/**
 * The first day of an occurrence's period (2023-09 → 2023-09-01, 2023-Q4 → 2023-10-01); null
 * when the occurrence is not a calendar period (done once, yearly, or counted from a date).
 */
export function periodStart(key: string): string | null {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return `${key}-01`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  return quarter ? `${quarter[1]}-${pad(Number(quarter[2]) * 3 - 2)}-01` : null;
}
