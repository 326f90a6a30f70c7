import { z } from 'zod';
import { isoDate } from '../seeds/plan-types.js';

/**
 * Dates here are calendar days in Asia/Shanghai written 'YYYY-MM-DD'. Arithmetic is done
 * on UTC midnights of those days, so the server's own time zone never shifts a date.
 */
const DAY_MS = 86_400_000;
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (date: string, n: number) => fromMs(toMs(date) + n * DAY_MS);
const weekday = (date: string) => new Date(toMs(date)).getUTCDay();
const yearOf = (date: string) => Number(date.slice(0, 4));

/** A calendar date that really exists (rejects 2023-02-30). */
export function isRealDate(date: string): boolean {
  return isoDate.safeParse(date).success && !Number.isNaN(toMs(date)) && fromMs(toMs(date)) === date;
}

/**
 * An official schedule in the holiday-cn layout the State Council notices are published in:
 * isOffDay true is a holiday, false a make-up working day (调休).
 */
export const scheduleFileSchema = z.object({
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({
      papers: z.array(z.string()).optional(),
      days: z.array(z.object({ date: isoDate, name: z.string(), isOffDay: z.boolean() })),
    }),
  ),
});
export type ScheduleFile = z.infer<typeof scheduleFileSchema>;

/** Per year: the holidays and make-up working days of the official notice. */
export type YearSchedule = { holidays: Set<string>; makeupWorkdays: Set<string> };

/**
 * Days that are off by statute whatever the year's notice says (全国年节及纪念日放假办法):
 * 元旦, 劳动节 (1–2 May) and 国庆节 (1–3 Oct). Used for years with no official schedule.
 */
const STATUTORY = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

export type WorkdayResult = { date: string; estimated: boolean; estimatedYears: number[] };

export class WorkCalendar {
  private readonly years: Map<number, YearSchedule>;

  /**
   * @param official schedules by year (from chinese-days); `overrides` replace a year whole,
   * so the coordinator can load a notice the library does not have yet.
   */
  constructor(official: Map<number, YearSchedule>, overrides: ScheduleFile = { years: {} }) {
    this.years = new Map(official);
    for (const [year, entry] of Object.entries(overrides.years)) {
      const schedule: YearSchedule = { holidays: new Set(), makeupWorkdays: new Set() };
      for (const day of entry.days) (day.isOffDay ? schedule.holidays : schedule.makeupWorkdays).add(day.date);
      this.years.set(Number(year), schedule);
    }
  }

  /** True when the year's working days follow an official notice, false when estimated. */
  isOfficial(year: number): boolean {
    return this.years.has(year);
  }

  isWorkday(date: string): boolean {
    const schedule = this.years.get(yearOf(date));
    if (schedule?.makeupWorkdays.has(date)) return true;
    if (schedule?.holidays.has(date)) return false;
    if (!schedule && STATUTORY.includes(date.slice(5))) return false;
    const wd = weekday(date);
    return wd !== 0 && wd !== 6;
  }

  /**
   * The date n working days after `start`. The start day is not counted (民法典 第201条):
   * day 1 is the next working day.
   */
  workdaysAfter(start: string, n: number): WorkdayResult {
    let date = start;
    const years = new Set<number>();
    for (let counted = 0; counted < n; ) {
      date = addDays(date, 1);
      years.add(yearOf(date));
      if (this.isWorkday(date)) counted++;
    }
    return this.result(date, years);
  }

  /** Working days in (from, to]: how many working days `to` lies after `from` (negative when before). */
  workdaysBetween(from: string, to: string): number {
    if (to < from) return -this.workdaysBetween(to, from);
    const [yf, yt] = [yearOf(from), yearOf(to)];
    let count = this.rank(to) - this.rank(from);
    for (let y = yf; y < yt; y++) count += this.yearRanks(y).at(-1)!;
    return count;
  }

  // Per year, the running count of working days: ranks[i] = working days among its first i+1 days.
  private readonly ranks = new Map<number, Int32Array>();

  private yearRanks(year: number): Int32Array {
    let ranks = this.ranks.get(year);
    if (!ranks) {
      const days = (toMs(`${year + 1}-01-01`) - toMs(`${year}-01-01`)) / DAY_MS;
      ranks = new Int32Array(days);
      let d = `${year}-01-01`;
      for (let i = 0, n = 0; i < days; i++, d = addDays(d, 1)) ranks[i] = n += this.isWorkday(d) ? 1 : 0;
      this.ranks.set(year, ranks);
    }
    return ranks;
  }

  /** Working days from 1 January of the date's year up to and including the date. */
  private rank(date: string): number {
    const year = yearOf(date);
    return this.yearRanks(year)[(toMs(date) - toMs(`${year}-01-01`)) / DAY_MS]!;
  }

  /** The last working day on or before `date`: when an "on the day" reminder can go out. */
  workdayOnOrBefore(date: string): string {
    let d = date;
    while (!this.isWorkday(d)) d = addDays(d, -1);
    return d;
  }

  /** Years in [from, to] whose working days are estimated. */
  estimatedYears(from: string, to: string): number[] {
    const out: number[] = [];
    for (let y = yearOf(from); y <= yearOf(to); y++) if (!this.isOfficial(y)) out.push(y);
    return out;
  }

  private result(date: string, years: Set<number>): WorkdayResult {
    const estimatedYears = [...years].filter((y) => !this.isOfficial(y)).sort();
    return { date, estimated: estimatedYears.length > 0, estimatedYears };
  }
}
