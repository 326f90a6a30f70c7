import type { WorkCalendar } from '../../../schedules/calendar.js';
import { text, timeLeft } from '../text/messages.js';

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

/** A title of at most about n characters, cut after a whole word (and before a clause's comma). */
export const shortText = (s: string, n = 20) => {
  const t = s.replace(/[。；，]$/, '');
  if (t.length <= n) return t;
  let out = '';
  for (const { segment } of words.segment(t)) {
    if (out.length + segment.length > n) break;
    out += segment;
  }
  return `${(out || t.slice(0, n)).replace(/[，、；：,;:（(“]+$/, '')}…`;
};

/** ISO dates compare as strings (localeCompare is much slower and a round sorts 200,000). */
const byDate = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A row's line on one day, by ref, occurrence and due date: kept across the units of a round, which share items. */
export type LineMemo = Map<string, string>;

/**
 * The open rows of a unit as chat lines, earliest due first: items one by one, and the
 * quarterly self-checks of 长期坚持 tasks and of the 常态化 checklist counted per due date.
 */
export function openLines(calendar: WorkCalendar, today: string, rows: LineRow[], memo: LineMemo = new Map()): { lines: string[]; undated: number } {
  const dated = rows.filter((r) => r.due !== null).sort((a, b) => byDate(a.due!, b.due!) || a.id - b.id);
  const ongoing = new Map<string, { refs: string[]; checklist: number }>();
  const lines: { due: string; line: string }[] = [];
  const left = (due: string) => timeLeft(calendar.workdaysBetween(today, due));
  for (const r of dated) {
    if (r.ruleType === 'ongoing') {
      const group = ongoing.get(r.due!) ?? { refs: [], checklist: 0 };
      if (r.kind === 'checklist') group.checklist++;
      else group.refs.push(r.ref);
      ongoing.set(r.due!, group);
      continue;
    }
    const due = r.due!;
    const key = `${r.ref}|${r.occurrence}|${due}`;
    let line = memo.get(key);
    if (line === undefined) memo.set(key, (line = text.taskLine(rowLabel(r.ref, r.occurrence), shortText(r.text), due, left(due))));
    lines.push({ due, line });
  }
  for (const [due, g] of ongoing) {
    if (g.refs.length) lines.push({ due, line: text.tasksOngoing(g.refs, due, left(due)) });
    if (g.checklist) lines.push({ due, line: text.tasksChecklist(g.checklist, due, left(due)) });
  }
  lines.sort((a, b) => byDate(a.due, b.due));
  return { lines: lines.map((l) => l.line), undated: rows.length - dated.length };
}
