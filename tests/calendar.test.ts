import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays, WorkCalendar, scheduleFileSchema } from '../schedules/calendar.js';
import { chineseDaysSchedules } from '../schedules/official.js';
import { calendar } from './helpers.js';

// The State Council schedules 2022–2026, independent of the library the product uses.
const oracleFile = scheduleFileSchema.parse(JSON.parse(readFileSync(new URL('./fixtures/official-2022-2026.json', import.meta.url), 'utf8')));
const oracleDays = new Map(Object.values(oracleFile.years).flatMap((y) => y.days.map((d) => [d.date, d.isOffDay] as const)));
function oracleWorkday(date: string): boolean {
  const off = oracleDays.get(date);
  if (off !== undefined) return !off;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

describe('working-day calendar', () => {
  it('agrees with the official schedules on every day of 2022–2026', () => {
    const wrong: string[] = [];
    for (let d = '2022-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      if (calendar.isWorkday(d) !== oracleWorkday(d)) wrong.push(d);
    }
    expect(wrong).toEqual([]);
  });

  it('counts working days with the start day excluded: the public vectors', () => {
    expect(calendar.workdaysAfter('2023-08-09', 20)).toEqual({ date: '2023-09-06', estimated: false, estimatedYears: [] });
    expect(calendar.workdaysAfter('2023-09-20', 20).date).toBe('2023-10-24');
    expect(calendar.workdaysAfter('2026-02-12', 3).date).toBe('2026-02-24');
  });

  it.each([
    // make-up working days on weekends (调休)
    ['2023-01-20', 1, '2023-01-28'], // 春节 2023, Saturday 01-28 is worked
    ['2023-04-22', 1, '2023-04-23'], // Sunday 04-23 is worked (劳动节)
    ['2023-05-05', 1, '2023-05-06'], // Saturday 05-06 is worked
    ['2023-06-21', 1, '2023-06-25'], // 端午 2023
    ['2024-04-03', 1, '2024-04-07'], // 清明 2024, Sunday 04-07 worked
    ['2024-09-13', 1, '2024-09-14'], // 中秋 2024, Saturday worked
    ['2025-01-24', 3, '2025-02-05'], // across 春节 2025 (01-26 worked)
    ['2025-09-26', 1, '2025-09-28'], // Sunday 09-28 worked before 国庆 2025
    ['2026-02-13', 1, '2026-02-14'], // Saturday 02-14 worked before 春节 2026
    ['2026-10-09', 1, '2026-10-10'], // Saturday 10-10 worked after 国庆 2026
    // holidays skipped
    ['2023-04-28', 1, '2023-05-04'], // 劳动节 2023
    ['2024-02-08', 5, '2024-02-21'], // 春节 2024
    ['2024-04-30', 1, '2024-05-06'], // 劳动节 2024
    ['2024-06-07', 1, '2024-06-11'], // 端午 2024
    ['2024-09-30', 1, '2024-10-08'], // 国庆 2024
    ['2025-04-03', 1, '2025-04-07'], // 清明 2025
    ['2025-05-30', 1, '2025-06-03'], // 端午 2025
    ['2025-09-30', 1, '2025-10-09'], // 国庆+中秋 2025
    ['2026-04-03', 1, '2026-04-07'], // 清明 2026
    ['2026-06-18', 1, '2026-06-22'], // 端午 2026
    ['2026-09-30', 5, '2026-10-13'], // 国庆 2026
    // month and year boundaries
    ['2022-12-30', 1, '2023-01-03'],
    ['2023-12-29', 1, '2024-01-02'],
    ['2024-12-31', 1, '2025-01-02'],
    ['2025-12-31', 1, '2026-01-04'], // Sunday 2026-01-04 worked
    ['2024-02-28', 1, '2024-02-29'], // leap day
    ['2023-08-09', 0, '2023-08-09'],
  ])('%s + %i working days = %s', (start, n, expected) => {
    expect(calendar.workdaysAfter(start, n).date).toBe(expected);
  });

  it('treats 2023-10-07 and 2023-10-08 as working days and the 国庆 week as holidays', () => {
    expect(calendar.isWorkday('2023-10-07')).toBe(true);
    expect(calendar.isWorkday('2023-10-08')).toBe(true);
    for (let d = '2023-09-29'; d <= '2023-10-06'; d = addDays(d, 1)) expect(calendar.isWorkday(d)).toBe(false);
  });

  it('estimates a year with no official schedule, skipping 1 January, and says so', () => {
    expect(calendar.isOfficial(2026)).toBe(true);
    expect(calendar.isOfficial(2027)).toBe(false);
    expect(calendar.isWorkday('2027-01-01')).toBe(false); // a Friday, 元旦
    expect(calendar.workdaysAfter('2026-12-31', 1)).toEqual({ date: '2027-01-04', estimated: true, estimatedYears: [2027] });
    expect(calendar.workdaysAfter('2027-09-30', 1).date).toBe('2027-10-04'); // 国庆 1–3 Oct
    expect(calendar.workdaysAfter('2026-12-01', 5).estimated).toBe(false);
  });

  it('lets an override file replace a year, official from then on', () => {
    const overrides = scheduleFileSchema.parse({
      years: {
        '2027': {
          days: [
            { date: '2027-01-01', name: '元旦', isOffDay: true },
            { date: '2027-01-04', name: '元旦', isOffDay: true },
            { date: '2027-01-09', name: '元旦', isOffDay: false },
          ],
        },
        // an override wins over the library's own data
        '2023': { days: [{ date: '2023-10-07', name: '国庆节', isOffDay: true }] },
      },
    });
    const cal = new WorkCalendar(chineseDaysSchedules(), overrides);
    expect(cal.workdaysAfter('2026-12-31', 1)).toEqual({ date: '2027-01-05', estimated: false, estimatedYears: [] });
    expect(cal.isWorkday('2027-01-09')).toBe(true);
    expect(cal.isWorkday('2023-10-07')).toBe(false);
  });

  it('counts working days between dates and finds the working day on or before a rest day', () => {
    expect(calendar.workdaysBetween('2023-09-28', '2023-10-09')).toBe(3); // 10-07, 10-08, 10-09
    expect(calendar.workdaysBetween('2023-10-09', '2023-09-28')).toBe(-3);
    expect(calendar.workdayOnOrBefore('2023-12-31')).toBe('2023-12-29');
    expect(calendar.workdayOnOrBefore('2023-10-04')).toBe('2023-09-28');
  });
});

describe('Asia/Shanghai days and times', () => {
  it('agree with the zone database (dayjs timezone) across years, midnights and the server zone', async () => {
    const { default: dayjs } = await import('dayjs');
    const { shanghaiDate, shanghaiTime, ZONE } = await import('../schedules/clock.js');
    for (let t = Date.UTC(2022, 0, 1, 15, 59); t < Date.UTC(2027, 0, 2); t += 7 * 3_600_000 + 60_000) {
      const instant = new Date(t);
      expect(shanghaiTime(instant)).toBe(dayjs(instant).tz(ZONE).format('YYYY-MM-DD HH:mm'));
      expect(shanghaiDate(instant)).toBe(dayjs(instant).tz(ZONE).format('YYYY-MM-DD'));
    }
  });
});
