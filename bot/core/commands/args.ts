import { addDays, isRealDate } from '../../../schedules/calendar.js';
import { argText, type CommandName, inputText, text, usage } from '../text/messages.js';
import { findLinks, withoutLinks } from './links.js';

// What a command's words are followed by: refs, units, dates, periods, links. Each command's
// module reads its own arguments with these.

/** A chat message understood as a command. */
export type Command =
  | { name: 'bind'; units: string[] }
  /** all: 全部批准, every pending request */
  | { name: 'approve'; who: string | null; all: boolean }
  | { name: 'reject'; who: string | null }
  | { name: 'unbind'; who: string; unit: string | null }
  | { name: 'tasks'; all: boolean }
  /** links: every link written, in order; the first is the evidence; period: see findPeriod */
  | { name: 'done'; refs: string[]; unit: string | null; links: string[]; note: string | null; period: string | null }
  | { name: 'withdraw'; ref: string; unit: string | null }
  | { name: 'correct'; ref: string; unit: string | null; link: string }
  /** quarter: '2023-Q3' or '*-Q3' (see findPeriod), null for the current one */
  | { name: 'selfCheck'; quarter: string | null; unit: string | null }
  | { name: 'progress'; ref: string; unit: string | null; text: string }
  | { name: 'event'; ref: string; date: string; unit: string | null }
  /** all: every unit of the county, not only the ten worst */
  | { name: 'status'; unit: string | null; ref: string | null; all: boolean; chart: boolean }
  | { name: 'help' }
  | { name: 'assign'; ref: string; units: string[] }
  | { name: 'due'; ref: string; date: string; unit: string | null }
  | { name: 'remindMe' }
  | { name: 'remind' }
  | { name: 'export' }
  | { name: 'report'; quarter: string | null }
  /** confirm: 确认导入, else 取消导入 */
  | { name: 'planImport'; confirm: boolean };

/** A message that looks like a command but is not a right one: the reply says how to write it. */
export type ParseError = { error: string };


/**
 * Resolves a unit name, alias or shortening written in chat to the directory's name; `suggest`
 * names up to three units one that did not resolve may have meant.
 */
export type UnitLookup = ((name: string) => string | undefined) & { suggest?: (name: string) => string[] };

/** 没有找到单位「X」, with the closest units when there are any. */
export const unknownUnit = (name: CommandName, written: string, lookup: UnitLookup): ParseError => {
  const close = lookup.suggest?.(written) ?? [];
  return err(name, close.length ? inputText.didYouMean(written, close) : inputText.noSuchUnit(written));
};

/** Full-width letters, digits and spaces become half-width; runs of spaces become one. */
export function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u2005\u3000]+/g, ' ').trim();
}

// T5, t5, T 5, 任务5, 第5项; C17 and B1 for checklist and body items
const REF = /^(?:([TCB])\s*(\d{1,4})|任务\s*(\d{1,4})|第\s*(\d{1,4})\s*项?)(?=\s|$|[^\dA-Za-z])/i;

export function takeRef(rest: string): { ref: string; rest: string } | null {
  const m = REF.exec(rest);
  if (!m) return null;
  const ref = m[1] ? `${m[1].toUpperCase()}${Number(m[2])}` : `T${Number(m[3] ?? m[4])}`;
  return { ref, rest: rest.slice(m[0].length).trim() };
}

// a ref anywhere in a message, or a range of them: T5, C1-C5, T5至T7, T5~7
const REFS = /(?<![A-Za-z0-9])(?:([TCB])\s?(\d{1,4})(?:\s*(?:-|~|至|到)\s*\1?\s?(\d{1,4}))?|任务\s*(\d{1,4})|第\s*(\d{1,4})\s*项)(?!\d)/gi;
// the most items one range may name: more is a typo, not a report
const MAX_RANGE = 50;

/** Every ref in a text, ranges expanded, in order, each once; and the text with them taken out. */
export function findRefs(text: string): { refs: string[]; rest: string } {
  const refs: string[] = [];
  const rest = text.replace(REFS, (_m, kind?: string, from?: string, to?: string, task?: string, nth?: string) => {
    const k = kind ? kind.toUpperCase() : 'T';
    const a = Number(from ?? task ?? nth);
    const b = to && Number(to) >= a && Number(to) - a < MAX_RANGE ? Number(to) : a;
    for (let n = a; n <= b; n++) refs.push(`${k}${n}`);
    return ' ';
  });
  return { refs: [...new Set(refs)], rest };
}

const CN_DIGIT: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4' };
const QUARTER = /(?:(\d{4})\s*年?\s*)?(?:第?\s*([一二三四1-4])\s*季度|Q\s*([1-4]))/i;
const MONTH = /(?:(\d{4})\s*[年\-./]\s*)?(\d{1,2})\s*月份?(?!\s*\d)|(\d{4})-(\d{1,2})(?![\d-])/;

/**
 * A period named in a message: 三季度, 2023年第三季度, Q3 → '*-Q3' or '2023-Q3'; 9月, 2023-09 →
 * '*-09' or '2023-09' ('*': the year was not written). Returns the text without it.
 */
export function findPeriod(text: string): { period: string | null; rest: string } {
  const q = QUARTER.exec(text);
  if (q) return { period: `${q[1] ?? '*'}-Q${CN_DIGIT[q[2] ?? ''] ?? q[2] ?? q[3]}`, rest: text.replace(q[0], ' ') };
  const m = MONTH.exec(text);
  const month = Number(m?.[2] ?? m?.[4]);
  if (!m || month < 1 || month > 12) return { period: null, rest: text };
  return { period: `${m[1] ?? m[3] ?? '*'}-${String(month).padStart(2, '0')}`, rest: text.replace(m[0], ' ') };
}

const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2 };
const pad2 = (s: string) => s.padStart(2, '0');

/**
 * A date as written: 2023-09-20, 2023/9/20, 2023.9.20, 2023年9月20日, 20230920 → '2023-09-20';
 * 9月20日, 9.20, 9/20 → '*-09-20' (the year left out); 今天, 昨天, 前天 → 'day+0', 'day-1', 'day-2'.
 * Only the handler knows today: resolveDate turns these into a date. Null when not a date.
 */
export function parseDate(text: string): string | null {
  if (text in RELATIVE) return `day${RELATIVE[text]! < 0 ? '' : '+'}${RELATIVE[text]}`;
  const full = /^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (full) {
    const date = `${full[1]}-${pad2(full[2]!)}-${pad2(full[3]!)}`;
    return isRealDate(date) ? date : null;
  }
  const short = /^(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/.exec(text);
  // a leap year tells whether the day exists in some year (2月29日)
  return short && isRealDate(`2024-${pad2(short[1]!)}-${pad2(short[2]!)}`) ? `*-${pad2(short[1]!)}-${pad2(short[2]!)}` : null;
}

/**
 * The date parseDate meant, on `today`: a date without a year is the nearest such date in the
 * past (an event) or in the future (a deadline). Null when that day does not exist.
 */
export function resolveDate(spec: string, today: string, toward: 'past' | 'future'): string | null {
  const relative = /^day([+-]\d+)$/.exec(spec);
  if (relative) return addDays(today, Number(relative[1]));
  if (!spec.startsWith('*')) return spec;
  const year = Number(today.slice(0, 4));
  const candidates = [year - 1, year, year + 1].map((y) => `${y}${spec.slice(1)}`).filter(isRealDate);
  return (toward === 'past' ? candidates.filter((d) => d <= today).at(-1) : candidates.find((d) => d >= today)) ?? null;
}

export const err = (name: CommandName, what: string): ParseError => ({ error: `${what}\n${usage[name]}` });

/**
 * Unit names written in a list: 县商务局、县财政局 和 县民政局. 和 separates two names only when
 * the whole does not resolve: it is part of 县教育和体育局 and 县工业和信息化局.
 */
export function unitNames(rest: string, lookup: UnitLookup): string[] {
  return rest
    .split(/[\s、,，]+/)
    .filter(Boolean)
    .flatMap((piece) => splitAtAnd(piece, lookup) ?? [piece]);
}

/** 县民政局和县教育和体育局 → 县民政局, 县教育和体育局: the first 和 after which the rest splits into known units. */
function splitAtAnd(piece: string, lookup: UnitLookup): string[] | null {
  if (lookup(piece)) return [piece];
  for (let i = piece.indexOf('和'); i > 0; i = piece.indexOf('和', i + 1)) {
    const rest = lookup(piece.slice(0, i)) ? splitAtAnd(piece.slice(i + 1), lookup) : null;
    if (rest) return [piece.slice(0, i), ...rest];
  }
  return null;
}

/** 县财政局的进度 → 县财政局; 县商务局、县财政局 → 县商务局: the (first) unit a command is about. */
export const unitArg = (rest: string, lookup: UnitLookup) => (unitNames(rest.replace(/的?(?:进度|进展|情况|台账)/, ''), lookup)[0] ?? '');

/** Splits off a leading unit name (the longest that resolves), if the text starts with one. */
export function takeUnit(rest: string, lookup: UnitLookup): { unit: string; rest: string } | null {
  const [first = '', ...more] = rest.split(' ');
  const unit = lookup(first);
  return unit ? { unit, rest: more.join(' ') } : null;
}

/** A ref and a unit first: T12 县民政局 …; the unit may also come last. */
function takeItem(name: CommandName, rest: string, lookup: UnitLookup): { ref: string; unit: string | null; words: string[]; tail: string } | ParseError {
  const ref = takeRef(rest);
  if (!ref) return err(name, rest ? argText.notRef(rest.split(' ')[0]!) : argText.noRef);
  const unit = takeUnit(ref.rest, lookup);
  const tail = unit ? unit.rest : ref.rest;
  return { ref: ref.ref, unit: unit?.unit ?? null, words: tail.split(' ').filter(Boolean), tail };
}

/** 信息形成 T12 [单位] 2023-09-20, 期限 T6 2024-03-31 [单位]: an item and a date. */
export function parseDatedItem<K extends 'event' | 'due'>(name: K, rest: string, lookup: UnitLookup): { name: K; ref: string; date: string; unit: string | null } | ParseError {
  const item = takeItem(name, rest, lookup);
  if ('error' in item) return item;
  const [first, second] = item.words;
  // the unit may also come after the date
  const later = second ? lookup(second) : undefined;
  if (!first) return err(name, argText.noDate);
  const date = parseDate(first);
  if (!date) return err(name, text.notADate(first));
  if (second && !later) return unknownUnit(name, second, lookup);
  return { name, ref: item.ref, date, unit: item.unit ?? later ?? null };
}

/** 进展 T5 [单位] 文字. */
export function parseProgress(rest: string, lookup: UnitLookup): Extract<Command, { name: 'progress' }> | ParseError {
  const item = takeItem('progress', rest, lookup);
  if ('error' in item) return item;
  if (!item.tail) return err('progress', argText.noProgress);
  return { name: 'progress', ref: item.ref, unit: item.unit, text: item.tail };
}

// what people write for "done": 完成, 已完成, 完成了, 已发布/已公开/已办结/已报送/已上传, done
const DONE_WORDS = /已?完成了?|已(?:经)?(?:发布|公开|办结|报送|上传)了?|\bdone\b/gi;
// 未完成, 没完成, 还没有完成, and asking or planning (请尽快完成, 正在完成, 准备公开): not a report
const NOT_DONE =
  /(?:未|没|没有|尚未|还没|还没有|不|请|尽快|正在|准备|将|要|需要|抓紧|务必|计划|争取|督促)\s*(?:完成|发布|公开|办结|报送|上传)|(?:完成|公开|发布)(?:中|后)/;
// where a report was sent (已报送县大数据中心) names no unit of the report
const DESTINATION = /((?:报送|上传|提交|发送)(?:给|至|到)?)[^\s,，、。;；!！]+/g;
// a question (完成了吗？) is not a report either
const QUESTION = /[吗?]/;
// labels in front of a link, and words that say nothing about the report
const FILLER = /(?:公开)?链接|网址|地址|好的|收到|您好|你好|谢谢|请查收|已经|我们|本单位|单位的?|^已$|^了$/g;

/**
 * 完成 in people's words: the refs anywhere (several, ranges), every link, a unit if one of the
 * leftover words names one; the rest is the note.
 */
export function parseDone(rest: string, lookup: UnitLookup, name: CommandName = 'done'): Extract<Command, { name: 'done' }> | ParseError {
  const links = findLinks(rest);
  const refused = links.find((l) => l.url === null);
  if (refused) return err(name, refused.refused === 'long' ? inputText.tooLong : inputText.notWeb(refused.written));
  const { refs, rest: withoutRefs } = findRefs(withoutLinks(rest, links));
  if (refs.length === 0) return err(name, rest ? argText.notRef(rest.split(' ')[0]!) : argText.noRef);
  const { period, rest: words } = findPeriod(withoutRefs);
  const leftover = words
    .replace(DESTINATION, '$1')
    .replace(DONE_WORDS, ' ')
    .split(/[\s,，、。;；:：!！?？()（）【】「」<>\[\]]+/)
    .map((w) => w.replace(FILLER, ''))
    .filter(Boolean);
  const unitWord = leftover.find((w) => lookup(w));
  const note = leftover.filter((w) => w !== unitWord).join(' ') || null;
  return { name: 'done', refs, unit: unitWord ? lookup(unitWord)! : null, links: links.map((l) => l.url!), note, period };
}

/** A message naming items and saying they are done, in any order: T16已完成, 县商务局T16已公开. */
export function doneInWords(text: string): boolean {
  const plain = withoutLinks(text);
  if (findRefs(plain).refs.length === 0 || NOT_DONE.test(plain) || QUESTION.test(plain)) return false;
  return new RegExp(DONE_WORDS.source, 'i').test(plain);
}

/** A WeChat quote (「name：…」 then a dashed line) is context; only what follows it is the message. */
export function afterQuote(raw: string): string {
  const m = /^\s*「[\s\S]*」\s*\n\s*(?:[-—－]\s*){3,}\n?/.exec(raw);
  return m ? raw.slice(m[0].length) : raw;
}
