import type { Rule } from './plan-types.js';

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const yearOf = (explicit: string | undefined, planYear: number) => (explicit ? Number(explicit) : planYear);

type Pattern = { re: RegExp; rule: (m: RegExpExecArray, planYear: number) => Rule };

/** Deadline phrases, most specific first (每年1月31日前 also holds a date). */
const PATTERNS: Pattern[] = [
  {
    re: /每年(\d{1,2})月(\d{1,2})日前/,
    rule: (m) => ({ type: 'recurring', every: 'year', interval: 1, month: Number(m[1]), day: Number(m[2]) }),
  },
  { re: /按月/, rule: () => ({ type: 'recurring', every: 'month', interval: 1 }) },
  { re: /按季度?/, rule: () => ({ type: 'recurring', every: 'quarter', interval: 1 }) },
  { re: /至少每隔(\d+)年/, rule: (m) => ({ type: 'recurring', every: 'year', interval: Number(m[1]) }) },
  { re: /至少(\d+)周内?更新一次/, rule: (m) => ({ type: 'recurring', every: 'week', interval: Number(m[1]) }) },
  {
    re: /(?:本方案|方案)(?:印发|发布)之日起(\d+)个工作日内/,
    rule: (m) => ({ type: 'after_plan', workdays: Number(m[1]) }),
  },
  {
    // 信息形成或变更之日起20个工作日内, 决策文件出台后的10个工作日内, 在政策文件公开后3个工作日内
    re: /([^，。；]+?)(?:之日起|后的?)(\d+)个工作日内/,
    rule: (m) => ({ type: 'after_event', workdays: Number(m[2]), event: m[1]!.replace(/^(在|于|自)/, '') }),
  },
  {
    re: /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日前/,
    rule: (m, y) => ({ type: 'fixed', date: ymd(yearOf(m[1], y), Number(m[2]), Number(m[3])) }),
  },
  {
    re: /(?:(\d{4})年)?(\d{1,2})月底前/,
    rule: (m, y) => {
      const year = yearOf(m[1], y);
      const month = Number(m[2]);
      return { type: 'fixed', date: ymd(year, month, lastDayOfMonth(year, month)) };
    },
  },
  { re: /(?:(\d{4})年)?(?:年底前|年内)/, rule: (m, y) => ({ type: 'fixed', date: ymd(yearOf(m[1], y), 12, 31) }) },
  { re: /(?:(\d{4})年)?上半年/, rule: (m, y) => ({ type: 'fixed', date: ymd(yearOf(m[1], y), 6, 30) }) },
];

export type FoundDeadline = { rule: Rule; phrase: string };

/**
 * Finds a dated deadline phrase in a text. A year written in the phrase wins; a phrase
 * without one (8月16日前, 年底前) means the plan's own year.
 */
export function findDeadline(raw: string, planYear: number): FoundDeadline | null {
  const text = raw.replace(/\s+/g, '');
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (m) return { rule: p.rule(m, planYear), phrase: m[0] };
  }
  return null;
}

// the event a bare 20工作日 or 15日内 of a 公开时限 column counts from (the 标准目录 convention)
const INFO_EVENT = '信息形成或变更';

/**
 * Words only a deadline column holds: in running text (附件2's requirements, the body) 每年 or
 * 实时 are not deadlines, so findDeadline leaves them alone.
 */
const CELL_PATTERNS: Pattern[] = [
  {
    re: /(?:本方案|方案)(?:印发|发布)之日起(\d+)(?:个)?(?:自然日|日|天)内/,
    rule: (m) => ({ type: 'after_plan', workdays: Number(m[1]), calendarDays: true }),
  },
  {
    re: /([^，。；]+?)(?:之日起|后的?)(\d+)(?:个)?(?:自然日|日|天)内/,
    rule: (m) => ({ type: 'after_event', workdays: Number(m[2]), event: m[1]!.replace(/^(在|于|自)/, ''), calendarDays: true }),
  },
  { re: /^(\d+)个?工作日内?/, rule: (m) => ({ type: 'after_event', workdays: Number(m[1]), event: INFO_EVENT }) },
  { re: /^(\d+)个?(?:自然日|日|天)内?/, rule: (m) => ({ type: 'after_event', workdays: Number(m[1]), event: INFO_EVENT, calendarDays: true }) },
  { re: /(?:(\d{4})年)?下半年/, rule: (m, y) => ({ type: 'fixed', date: ymd(yearOf(m[1], y), 12, 31) }) },
  { re: /每季度末?|季度末/, rule: () => ({ type: 'recurring', every: 'quarter', interval: 1 }) },
  { re: /每月/, rule: () => ({ type: 'recurring', every: 'month', interval: 1 }) },
  { re: /按年度?|每年/, rule: () => ({ type: 'recurring', every: 'year', interval: 1 }) },
];

/** Reads a deadline cell (时限要求, 完成时限, 公开时限 …); null when nothing in it is understood. */
export function parseDeadlineCell(raw: string, planYear: number): Rule | null {
  const found = findDeadline(raw, planYear);
  if (found) return found.rule;
  const text = raw.replace(/\s+/g, '');
  for (const p of CELL_PATTERNS) {
    const m = p.re.exec(text);
    if (m) return p.rule(m, planYear);
  }
  if (/长期坚持|常态化|持续|长期/.test(text)) return { type: 'ongoing' };
  if (/^(及时|实时|随时|即时)/.test(text)) return { type: 'asap' };
  return null;
}
