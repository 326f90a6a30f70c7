import { isRealDate } from '../../../schedules/calendar.js';
import { linkText, usage, type CommandName } from '../text/messages.js';
import { findLinks, withoutLinks } from './links.js';

/** A chat message understood as a command. */
export type Command =
  | { name: 'bind'; unit: string }
  | { name: 'approve' | 'reject'; who: string | null }
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
  | { name: 'status'; unit: string | null; ref: string | null }
  | { name: 'help' }
  | { name: 'assign'; ref: string; units: string[] }
  | { name: 'due'; ref: string; date: string; unit: string | null }
  | { name: 'remindMe' }
  | { name: 'remind' }
  | { name: 'export' }
  | { name: 'report'; quarter: string | null };

/** A message that looks like a command but is not a right one: the reply says how to write it. */
export type ParseError = { error: string };

export type Parsed = Command | ParseError | null;

/** Resolves a unit name or alias written in chat to the directory's name. */
export type UnitLookup = (name: string) => string | undefined;

// Chinese words and slash forms, at the start of a message (maybe in 【】); the word must be
// followed by a space, punctuation, a ref or the end.
const WORDS: [RegExp, CommandName][] = [
  [/^(绑定|\/bind)/i, 'bind'],
  [/^(批准|同意|\/approve)/i, 'approve'],
  [/^(驳回|拒绝|\/reject)/i, 'reject'],
  [/^(解绑|解除绑定|\/unbind)/i, 'unbind'],
  [/^(我的任务|我的待办|任务清单|待办事项|待办|任务$|还有(?:哪些|什么)(?:任务|事项)?(?:没|未)完成|\/tasks)/i, 'tasks'],
  [/^(季度自查完成|自查完成|自查已完成|完成\s*(?:季度)?自查|常态化(?:任务)?(?:已)?完成|完成\s*常态化|\/selfcheck)/i, 'selfCheck'],
  [/^(已完成|完成|done|\/done)/i, 'done'],
  [/^(撤回|撤销|\/withdraw)/i, 'withdraw'],
  [/^(更正|更改链接|\/correct)/i, 'correct'],
  [/^(进展|进度报告|\/progress)/i, 'progress'],
  [/^(信息形成|信息变更|\/event)/i, 'event'],
  [/^(查询|查一下|查看|进度|\/status)/i, 'status'],
  [/^(帮助|菜单|\/help)/i, 'help'],
  [/^(分配|\/assign)/i, 'assign'],
  [/^(期限|\/due)/i, 'due'],
  [/^(提醒我|\/remindme)/i, 'remindMe'],
  [/^(发送提醒|\/remind)/i, 'remind'],
  [/^(导出台账|\/export)/i, 'export'],
  [/^(季度报告|\/report)/i, 'report'],
];
const BOUNDARY = /^(\s|$|[\]】」)>:,、.。!?;~]|[TtCcBb]\s*\d|任务\s*\d|第\s*\d)/;
// commands whose argument is a unit may run on without a space: 绑定县商务局, 查询县财政局
const UNIT_ARG: CommandName[] = ['bind', 'status'];
// punctuation and brackets around a command word or its arguments
const PUNCT = /^[\s\]】」)>:,、.。!?;~]+|[\s\[【「(<:,、.。!?;~]+$/g;

/** Full-width letters, digits and spaces become half-width; runs of spaces become one. */
export function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u2005\u3000]+/g, ' ').trim();
}

// T5, t5, T 5, 任务5, 第5项; C17 and B1 for checklist and body items
const REF = /^(?:([TCB])\s*(\d{1,4})|任务\s*(\d{1,4})|第\s*(\d{1,4})\s*项?)(?=\s|$|[^\dA-Za-z])/i;

function takeRef(rest: string): { ref: string; rest: string } | null {
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

/** 2023-09-20, 2023/9/20, 2023.9.20, 2023年9月20日 → '2023-09-20'; null when not a real date. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/.exec(text);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isRealDate(date) ? date : null;
}

const err = (name: CommandName, what: string): ParseError => ({ error: `${what}\n${usage[name]}` });

/** 县财政局的进度 → 县财政局: the unit a status question is about. */
const unitArg = (rest: string) => rest.replace(/的?(?:进度|进展|情况|台账)$/, '');

/** Splits off a leading unit name (the longest that resolves), if the text starts with one. */
function takeUnit(rest: string, lookup: UnitLookup): { unit: string; rest: string } | null {
  const [first = '', ...more] = rest.split(' ');
  const unit = lookup(first);
  return unit ? { unit, rest: more.join(' ') } : null;
}

function parseArgs(name: CommandName, rest: string, lookup: UnitLookup): Command | ParseError {
  switch (name) {
    case 'help':
    case 'remindMe':
    case 'remind':
    case 'export':
      return { name };
    case 'report':
      return { name, quarter: rest ? rest.replace(/\s+/g, '').toUpperCase() : null };
    case 'tasks':
      return { name, all: /全部|all/i.test(rest) };
    case 'bind': {
      if (!rest) return err(name, '请写明要绑定的单位。');
      const unit = lookup(rest);
      return unit ? { name, unit } : err(name, `没有找到单位「${rest}」。`);
    }
    case 'approve':
    case 'reject':
      return { name, who: rest || null };
    case 'unbind': {
      const [who = '', unitText] = rest.split(' ');
      if (!who) return err(name, '请写明要解绑的联络员。');
      if (!unitText) return { name, who, unit: null };
      const unit = lookup(unitText);
      return unit ? { name, who, unit } : err(name, `没有找到单位「${unitText}」。`);
    }
    case 'status': {
      if (!rest) return { name, unit: null, ref: null };
      const ref = takeRef(rest);
      if (ref && !ref.rest) return { name, unit: null, ref: ref.ref };
      const unit = lookup(unitArg(rest));
      return unit ? { name, unit, ref: null } : err(name, `没有找到单位或任务「${rest}」。`);
    }
    case 'assign': {
      const ref = takeRef(rest);
      if (!ref) return err(name, '请写明任务编号。');
      const names = ref.rest.split(/[ 、，,]+/).filter(Boolean);
      if (names.length === 0) return err(name, '请写明要分配的单位。');
      const unknown = names.filter((n) => !lookup(n));
      if (unknown.length) return err(name, `没有找到单位「${unknown.join('、')}」。`);
      return { name, ref: ref.ref, units: names.map((n) => lookup(n)!) };
    }
    case 'done':
      return parseDone(rest, lookup);
    case 'withdraw':
    case 'correct': {
      const r = parseDone(rest, lookup, name);
      if ('error' in r) return r;
      if (r.refs.length !== 1) return err(name, '一次只能处理一项任务。');
      if (name === 'withdraw') return { name, ref: r.refs[0]!, unit: r.unit };
      if (!r.links[0]) return err(name, '请写明更正后的公开链接。');
      return { name, ref: r.refs[0]!, unit: r.unit, link: r.links[0] };
    }
    case 'selfCheck': {
      const { period, rest: unitText } = findPeriod(rest);
      if (period && !period.includes('Q')) return err(name, `「${rest}」不是季度。`);
      const words = unitText.split(/[\s,，、]+/).filter(Boolean);
      const unit = words[0] ? lookup(words[0]) : undefined;
      if (words[0] && !unit) return err(name, `没有找到单位「${words[0]}」。`);
      return { name, quarter: period, unit: unit ?? null };
    }
    case 'progress':
    case 'event':
    case 'due':
      return parseItemCommand(name, rest, lookup);
  }
}

/** Commands about one item: a ref, a unit, then a date or text. */
function parseItemCommand(name: 'progress' | 'event' | 'due', rest: string, lookup: UnitLookup): Command | ParseError {
  const ref = takeRef(rest);
  if (!ref) return err(name, rest ? `「${rest.split(' ')[0]}」不是任务编号。` : '请写明任务编号。');
  let tail = ref.rest;
  const unit = takeUnit(tail, lookup);
  if (unit) tail = unit.rest;
  const words = tail.split(' ').filter(Boolean);
  if (name === 'event' || name === 'due') {
    const [first, second] = words;
    // the unit may also come after the date
    const later = second ? lookup(second) : undefined;
    if (!first) return err(name, '请写明日期。');
    const date = parseDate(first);
    if (!date) return err(name, `「${first}」不是有效日期。`);
    if (second && !later) return err(name, `没有找到单位「${second}」。`);
    return { name, ref: ref.ref, date, unit: unit?.unit ?? later ?? null };
  }
  if (!tail) return err(name, '请写明进展情况。');
  return { name, ref: ref.ref, unit: unit?.unit ?? null, text: tail };
}

// what people write for "done": 完成, 已完成, 完成了, 已发布/已公开/已办结/已报送/已上传, done
const DONE_WORDS = /已?完成了?|已(?:经)?(?:发布|公开|办结|报送|上传)了?|\bdone\b/gi;
// 未完成, 没完成, 还没有完成: not a report
const NOT_DONE = /(?:未|没|没有|尚未|还没|还没有|不)\s*(?:完成|发布|公开|办结|报送|上传)/;
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
function parseDone(rest: string, lookup: UnitLookup, name: CommandName = 'done'): Extract<Command, { name: 'done' }> | ParseError {
  const links = findLinks(rest);
  const refused = links.find((l) => l.url === null);
  if (refused) return err(name, refused.refused === 'long' ? linkText.tooLong : linkText.notWeb(refused.written));
  const { refs, rest: withoutRefs } = findRefs(withoutLinks(rest, links));
  if (refs.length === 0) return err(name, rest ? `「${rest.split(' ')[0]}」不是任务编号。` : '请写明任务编号。');
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
function doneInWords(text: string): boolean {
  const plain = withoutLinks(text);
  if (findRefs(plain).refs.length === 0 || NOT_DONE.test(plain) || QUESTION.test(plain)) return false;
  return new RegExp(DONE_WORDS.source, 'i').test(plain);
}

/** A WeChat quote (「name：…」 then a dashed line) is context; only what follows it is the message. */
export function afterQuote(raw: string): string {
  const m = /^\s*「[\s\S]*」\s*\n\s*(?:[-—－]\s*){3,}\n?/.exec(raw);
  return m ? raw.slice(m[0].length) : raw;
}

/**
 * Reads a chat message. `addressed` is true in a private chat or when the bot is @mentioned:
 * then anything unknown gets the help hint, and items named without a verb a question; in a
 * group, text that is neither a command nor a completion in words is chatter and gives null.
 */
export function parseCommand(raw: string, addressed: boolean, lookup: UnitLookup): Parsed {
  // drop @mentions in front (the bot's own, in a group)
  const text = normalize(afterQuote(raw)).replace(/^(@\S+\s*)+/, '').trim();
  const head = text.replace(/^[\[【「(<]\s*/, '');
  for (const [re, name] of WORDS) {
    const m = re.exec(head);
    if (!m) continue;
    const after = head.slice(m[0].length);
    const rest = after.replace(PUNCT, '').trim();
    if (!BOUNDARY.test(after) && !(UNIT_ARG.includes(name) && lookup(unitArg(rest)))) continue;
    return parseArgs(name, rest, lookup);
  }
  if (doneInWords(text)) return parseDone(text, lookup);
  if (/^\/\S/.test(text)) return { error: `不认识的命令「${text.split(' ')[0]}」。\n${usage.help}` };
  if (!addressed) return null;
  const { refs } = findRefs(withoutLinks(text));
  return { error: refs.length ? linkText.confirmDone(refs) : usage.help };
}
