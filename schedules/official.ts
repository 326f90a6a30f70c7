import { createRequire } from 'node:module';
import { z } from 'zod';
import { type YearSchedule, WorkCalendar, type ScheduleFile } from './calendar.js';

// chinese-days ships its data as plain JSON keyed by date; reading the data rather than its
// date functions keeps every answer independent of the server's time zone.
const dataSchema = z.object({
  holidays: z.record(z.string(), z.string()),
  workdays: z.record(z.string(), z.string()),
});

function libraryData() {
  const require = createRequire(import.meta.url);
  return dataSchema.parse(require('chinese-days/dist/chinese-days.json'));
}

/** Official schedules by year, from chinese-days (holidays and 调休 make-up working days). */
export function chineseDaysSchedules(): Map<number, YearSchedule> {
  const data = libraryData();
  const years = new Map<number, YearSchedule>();
  const year = (date: string) => {
    const y = Number(date.slice(0, 4));
    if (!years.has(y)) years.set(y, { holidays: new Set(), makeupWorkdays: new Set() });
    return years.get(y)!;
  };
  for (const date of Object.keys(data.holidays)) year(date).holidays.add(date);
  for (const date of Object.keys(data.workdays)) year(date).makeupWorkdays.add(date);
  return years;
}

/** The calendar the product uses: chinese-days, with the coordinator's overrides winning. */
export function officialCalendar(overrides?: ScheduleFile): WorkCalendar {
  return new WorkCalendar(chineseDaysSchedules(), overrides);
}
