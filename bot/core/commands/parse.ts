import { isRealDate } from '../../../schedules/calendar.js';
import { usage, type CommandName } from '../text/messages.js';

/** A chat message understood as a command. */
export type Command =
  | { name: 'bind'; unit: string }
  | { name: 'approve' | 'reject'; who: string | null }
  | { name: 'unbind'; who: string; unit: string | null }
  | { name: 'tasks'; all: boolean }
  | { name: 'done'; ref: string; unit: string | null; link: string | null; note: string | null }
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

// Chinese words and slash forms; the word must be followed by a space, a ref or the end.
const WORDS: [RegExp, CommandName][] = [
  [/^(绑定|\/bind)/i, 'bind'],
  [/^(批准|同意|\/approve)/i, 'approve'],
  [/^(驳回|拒绝|\/reject)/i, 'reject'],
  [/^(解绑|解除绑定|\/unbind)/i, 'unbind'],
  [/^(我的任务|任务清单|\/tasks)/i, 'tasks'],
  [/^(已完成|完成|\/done)/i, 'done'],
  [/^(进展|进度报告|\/progress)/i, 'progress'],
  [/^(信息形成|信息变更|\/event)/i, 'event'],
  [/^(查询|\/status)/i, 'status'],
  [/^(帮助|菜单|\/help)/i, 'help'],
  [/^(分配|\/assign)/i, 'assign'],
  [/^(期限|\/due)/i, 'due'],
  [/^(提醒我|\/remindme)/i, 'remindMe'],
  [/^(发送提醒|\/remind)/i, 'remind'],
  [/^(导出台账|\/export)/i, 'export'],
  [/^(季度报告|\/report)/i, 'report'],
];
const BOUNDARY = /^(\s|$|[TtCcBb]\s*\d|任务\s*\d|第\s*\d)/;

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

/** 2023-09-20, 2023/9/20, 2023.9.20, 2023年9月20日 → '2023-09-20'; null when not a real date. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/.exec(text);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isRealDate(date) ? date : null;
}

const LINK = /^https?:\/\/\S+$/i;
const err = (name: CommandName, what: string): ParseError => ({ error: `${what}\n${usage[name]}` });

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
      const unit = lookup(rest);
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
    case 'progress':
    case 'event':
    case 'due':
      return parseItemCommand(name, rest, lookup);
  }
}

/** Commands about one item: a ref, then (in any order) a unit, a date or link, and text. */
function parseItemCommand(name: 'done' | 'progress' | 'event' | 'due', rest: string, lookup: UnitLookup): Command | ParseError {
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
  if (name === 'progress') {
    if (!tail) return err(name, '请写明进展情况。');
    return { name, ref: ref.ref, unit: unit?.unit ?? null, text: tail };
  }
  const link = words.find((w) => LINK.test(w)) ?? null;
  const note = words.filter((w) => w !== link).join(' ') || null;
  if (note && /^(www\.|http)/i.test(note)) return err(name, `「${note}」不是有效链接，链接须以 http:// 或 https:// 开头。`);
  return { name, ref: ref.ref, unit: unit?.unit ?? null, link, note };
}

/**
 * Reads a chat message. `addressed` is true in a private chat or when the bot is @mentioned:
 * then anything unknown gets the help hint; in a group, text that does not start with a
 * command word is chatter and gives null.
 */
export function parseCommand(raw: string, addressed: boolean, lookup: UnitLookup): Parsed {
  // drop @mentions in front (the bot's own, in a group)
  const text = normalize(raw).replace(/^(@\S+\s*)+/, '').trim();
  for (const [re, name] of WORDS) {
    const m = re.exec(text);
    if (!m) continue;
    const rest = text.slice(m[0].length);
    if (!BOUNDARY.test(rest)) continue;
    return parseArgs(name, rest.trim(), lookup);
  }
  if (/^\/\S/.test(text)) return { error: `不认识的命令「${text.split(' ')[0]}」。\n${usage.help}` };
  return addressed ? { error: usage.help } : null;
}
