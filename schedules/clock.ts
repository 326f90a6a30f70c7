import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every date the product shows or counts is a day in this zone, whatever the server's. */
export const ZONE = 'Asia/Shanghai';

// China has kept UTC+8 all year since 1991: the hot paths (every report, every row of a round)
// add the offset instead of asking Intl through dayjs' timezone plugin, which is ~50× slower.
// fromShanghai and the tests check this against the zone database.
const OFFSET_MS = 8 * 3_600_000;
const shifted = (instant: Date) => new Date(instant.getTime() + OFFSET_MS).toISOString();

/** The calendar day of an instant in Asia/Shanghai, 'YYYY-MM-DD'. */
export const shanghaiDate = (instant: Date): string => shifted(instant).slice(0, 10);

/** The wall-clock time of an instant in Asia/Shanghai, 'YYYY-MM-DD HH:mm'. */
export const shanghaiTime = (instant: Date): string => shifted(instant).slice(0, 16).replace('T', ' ');

/** The instant of a wall-clock time in Asia/Shanghai ('YYYY-MM-DD HH:mm'), or null if there is no such time. */
export function fromShanghai(wallClock: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(wallClock)) return null;
  const t = dayjs.tz(wallClock, 'YYYY-MM-DD HH:mm', ZONE);
  return t.isValid() && dayjs(t.toDate()).tz(ZONE).format('YYYY-MM-DD HH:mm') === wallClock ? t.toDate() : null;
}
