import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every date the product shows or counts is a day in this zone, whatever the server's. */
export const ZONE = 'Asia/Shanghai';

/** The calendar day of an instant in Asia/Shanghai, 'YYYY-MM-DD'. */
export const shanghaiDate = (instant: Date): string => dayjs(instant).tz(ZONE).format('YYYY-MM-DD');

/** The wall-clock time of an instant in Asia/Shanghai, 'YYYY-MM-DD HH:mm'. */
export const shanghaiTime = (instant: Date): string => dayjs(instant).tz(ZONE).format('YYYY-MM-DD HH:mm');

/** The instant of a wall-clock time in Asia/Shanghai ('YYYY-MM-DD HH:mm'), or null if there is no such time. */
export function fromShanghai(wallClock: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(wallClock)) return null;
  const t = dayjs.tz(wallClock, 'YYYY-MM-DD HH:mm', ZONE);
  return t.isValid() && shanghaiTime(t.toDate()) === wallClock ? t.toDate() : null;
}
