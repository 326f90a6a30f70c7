import type { WorkCalendar } from '../../../schedules/calendar.js';
import { reminder, selfCheckName, text, timeLeft } from '../text/messages.js';

/** What a chat line needs of a ledger row. */
export type LineRow = {
  id: number;
  ref: string;
  kind: 'task' | 'checklist' | 'body';
  ruleType: string;
  text: string;
  occurrence: string;
  due: string | null;
};

/** How a row is named in chat: T5, or T5（2023-Q4） for one occurrence of a recurring item. */
export const rowLabel = (ref: string, occurrence: string) => (occurrence ? `${ref}（${occurrence}）` : ref);

// Chinese has no spaces: ICU's word segmenter finds where a word ends
const words = new Intl.Segmenter('zh', { granularity: 'word' });

/** Titles already cut: a round names the same few hundred items for thousands of units. */
const titles = new Map<string, string>();

/** A title of at most about n characters, cut after a whole word (and before a clause's comma). */
export const shortText = (s: string, n = 20) => {
  const t = s.replace(/[。；，]$/, '');
  if (t.length <= n) return t;
  const key = `${n}|${t}`;
  let title = titles.get(key);
  if (title === undefined) {
    let out = '';
    // only the start is segmented: the words past n are never used
    for (const { segment } of words.segment(t.slice(0, n + 8))) {
      if (out.length + segment.length > n) break;
      out += segment;
    }
    title = `${(out || t.slice(0, n)).replace(/[，、；：,;:（(“]+$/, '')}…`;
    if (titles.size > 20_000) titles.clear();
    titles.set(key, title);
  }
  return title;
};

/** ISO dates compare as strings (localeCompare is much slower and a round sorts 200,000). */
const byDate = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One line's worth of rows: an item, or all the self-checks of a unit due on one date. */
type Entry = { due: string; label: string; text: string; selfChecks: number };

/**
 * Rows as entries, earliest due first: items one by one, and the self-checks of 长期坚持
 * tasks and of the 常态化 checklist (ruleType 'ongoing') as one entry per due date (a quarter).
 */
function entries(rows: LineRow[]): Entry[] {
  const dated = rows.filter((r) => r.due !== null).sort((a, b) => byDate(a.due!, b.due!) || a.id - b.id);
  const out: Entry[] = [];
  const checks = new Map<string, Entry>();
  for (const r of dated) {
    if (r.ruleType !== 'ongoing') {
      out.push({ due: r.due!, label: rowLabel(r.ref, r.occurrence), text: r.text, selfChecks: 0 });
      continue;
    }
    const e = checks.get(r.due!);
    if (e) e.selfChecks++;
    else {
      const entry = { due: r.due!, label: selfCheckName(r.occurrence), text: '', selfChecks: 1 };
      checks.set(r.due!, entry);
      out.push(entry);
    }
  }
  return out.sort((a, b) => byDate(a.due, b.due));
}

/** How many things a liaison has to do in these rows: a quarter's self-checks count as one. */
export const entryCount = (rows: LineRow[]) => entries(rows).length;

/**
 * The open rows of a unit as chat lines, earliest due first: items one by one, and a quarter's
 * self-checks as one line.
 */
export function openLines(calendar: WorkCalendar, today: string, rows: LineRow[]): { lines: string[]; undated: number } {
  const lines = entries(rows).map((e) => {
    const left = timeLeft(calendar.workdaysBetween(today, e.due));
    return e.selfChecks ? text.selfCheckLine(e.label, e.selfChecks, e.due, left) : text.taskLine(e.label, shortText(e.text), e.due, left);
  });
  return { lines, undated: rows.filter((r) => r.due === null).length };
}

/** The rows as lines grouped under their due dates (a private reminder's details). */
export function dueGroups(calendar: WorkCalendar, today: string, rows: LineRow[]): string[] {
  const out: string[] = [];
  let due = '';
  for (const e of entries(rows)) {
    if (e.due !== due) out.push(reminder.dueHeading((due = e.due), timeLeft(calendar.workdaysBetween(today, e.due))));
    out.push(reminder.bullet(e.selfChecks ? reminder.selfCheckCount(e.label, e.selfChecks) : `${e.label} ${shortText(e.text)}`));
  }
  return out;
}
