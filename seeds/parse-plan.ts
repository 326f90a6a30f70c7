import { findDeadline, parseDeadlineCell } from './deadlines.js';
import { textDocument, type Block, type Cell, type PlanDocument } from './document.js';
import { planSchema, type Plan, type PlanItem, type Rule } from './plan-types.js';
import { directoryFromNames, looksLikeUnit, splitList, UnitResolver, type UnitDirectory } from './units.js';

/** The document is not a plan this parser understands; the message says what is missing. */
export class PlanFormatError extends Error {}

/** What the document may leave out: `liaison import --year/--issued`. */
export type PlanOptions = { year?: number; issued?: string };

/** A deadline text no rule matched, kept as 及时公开 until the coordinator sets a date. */
export type UnreadDeadline = { ref: string; text: string };

const CJK = '\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef';
const SPACE_IN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');
const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

/** Full-width digits as ASCII, so ２０２３年 reads like 2023年. */
const digits = (s: string) => s.replace(FULL_WIDTH_DIGIT, (d) => String(d.charCodeAt(0) - 0xff10));

/** A wrapped cell is joined without separators, as Chinese text wraps anywhere. */
const clean = (text: string) =>
  digits(text)
    .split('\n')
    .map((l) => l.trim())
    .join('')
    .replace(SPACE_IN_CJK, '')
    .trim();

const TITLE = /^(?!关于)[^，。；：:！？]{4,60}?(工作方案|工作要点|实施方案|任务分工(?:方案)?|任务清单|标准目录|任务分解表)(?:[（(][^）)]*[）)])?$/;
const CN_DIGIT: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/** 2023年8月9日, （二〇二三年八月九日）: a paragraph that is only a date. */
function dateOf(text: string): string | null {
  const m = /^[（(]?\s*([\d〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日\s*[）)]?$/.exec(text);
  if (!m) return null;
  const num = (s: string) => {
    if (/^\d+$/.test(s)) return Number(s);
    if (s.length === 4) return Number([...s].map((c) => CN_DIGIT[c]).join(''));
    const [tens, ones] = s.includes('十') ? s.split('十') : ['', s];
    return (s.includes('十') ? (tens ? Number(CN_DIGIT[tens!]) : 1) * 10 : 0) + (ones ? Number(CN_DIGIT[ones]) : 0);
  };
  const [y, mo, d] = [num(m[1]!), num(m[2]!), num(m[3]!)];
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 附件1, 附件 2, 附件3：标题, or 附件 alone (the only one): the annex's number, else null. */
function annexNo(text: string): number | null {
  const m = /^附\s*件\s*(?:(\d+)\s*(?:[:：].*)?)?$/.exec(text);
  return m ? Number(m[1] ?? 1) : null;
}
// 附件：1.标题 (the body's list of annexes)
const ANNEX_LIST = /^附\s*件\s*[:：]\s*(?:(\d+)[.．、])?\s*(.*)$/;

type Para = { text: string; at: number };

function header(blocks: Block[], opts: PlanOptions) {
  const paras: Para[] = blocks.flatMap((b, at) => (b.type === 'p' ? [{ text: digits(b.text), at }] : []));
  const title = paras.find((p) => TITLE.test(p.text.replace(/\s+/g, '')) && /公开/.test(p.text));
  if (!title) throw new PlanFormatError('no title line such as "2023年…政务公开工作方案" (or …工作要点, …实施方案, …任务清单) was found');
  const firstAnnex = paras.find((p) => p.at > title.at && annexNo(p.text) !== null)?.at ?? Infinity;
  const dates = paras.filter((p) => p.at < firstAnnex).flatMap((p) => dateOf(p.text) ?? []);
  const issueDate = opts.issued ?? dates[0];
  if (!issueDate) throw new PlanFormatError('no issue date (成文日期) was found; give it with --issued YYYY-MM-DD');
  const titleText = title.text.replace(/\s+/g, '');
  const year = opts.year ?? Number(/(\d{4})年/.exec(titleText)?.[1] ?? issueDate.slice(0, 4));
  return { title: titleText, titleAt: title.at, year, issueDate, paras };
}

/** The annexes the body lists (附件：1.… 2.…); each must be in the document. */
function checkAnnexes(paras: Para[], titleAt: number): number {
  const listAt = paras.findIndex((p) => p.at > titleAt && ANNEX_LIST.test(p.text));
  const markers = paras.filter((p) => p.at > titleAt && annexNo(p.text) !== null);
  const firstMarker = markers[0]?.at ?? Infinity;
  if (listAt < 0) return firstMarker;
  const listed: [number, string][] = [];
  const first = ANNEX_LIST.exec(paras[listAt]!.text)!;
  listed.push([Number(first[1] ?? 1), first[2]!]);
  for (let i = listAt + 1; i < paras.length && paras[i]!.at < firstMarker; i++) {
    const m = /^(\d+)[.．、]\s*(.+)$/.exec(paras[i]!.text);
    if (!m) break;
    listed.push([Number(m[1]), m[2]!]);
  }
  const present = new Set(markers.map((p) => annexNo(p.text)));
  for (const [n, title] of listed) {
    if (!present.has(n)) throw new PlanFormatError(`no 附件${n} (${title}) was found, though the body lists it`);
  }
  return Math.min(paras[listAt]!.at, firstMarker);
}

function deadlineRule(text: string, year: number, unread: UnreadDeadline[], ref: string): Rule {
  const rule = parseDeadlineCell(text, year);
  if (rule) return rule;
  unread.push({ ref, text });
  return { type: 'asap' };
}

// 各级各部门要…, 县财政局、县司法局…等部门…要
const SUBJECT = /(各级各部门|各镇（街道）|县[\u4e00-\u9fa5]{1,12}?(?:局|中心|办公室))/;
// （牵头单位：…；责任单位：…；完成时限：…） or 〔责任单位：…〕 closing a numbered task
const INLINE = /[（(〔【[]\s*(?:牵头单位|牵头部门|责任单位|责任部门|主责单位)\s*[:：]/g;
const NUMBERING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])\s*/;

/**
 * A closing parenthetical naming who carries the task out, as 工作要点 of cities write it:
 * （市政府办公厅牵头，各区政府、市政府各部门负责落实）, （市交通委负责落实）.
 */
function trailingUnits(paragraph: string): { at: number; unitsText: string } | null {
  const end = paragraph.replace(/[。.]$/, '');
  if (!/[）)]$/.test(end)) return null;
  let depth = 0;
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] === '）' || end[i] === ')') depth++;
    if (end[i] === '（' || end[i] === '(') depth--;
    if (depth === 0) {
      const inner = end.slice(i + 1, -1);
      if (!/(牵头|负责落实|负责)/.test(inner) || !/(负责落实|落实|负责|配合)$/.test(inner)) return null;
      return { at: i, unitsText: inner.replace(/(分别)?(负责落实|负责|落实)$/, '') };
    }
  }
  return null;
}

/** The fields of an inline unit note, its brackets and separators removed. */
function inlineNote(note: string) {
  const fields = { lead: '', units: [] as string[], deadline: '' };
  for (const part of note.slice(1, -1).split(/[；;]/)) {
    const m = /^\s*([^:：]+?)\s*[:：](.*)$/.exec(part);
    if (!m) continue;
    const value = m[2]!.trim().replace(/[。.]$/, '');
    if (/牵头/.test(m[1]!)) fields.lead = value;
    else if (/单位|部门|科室/.test(m[1]!)) fields.units.push(value);
    else if (/时限|时间|节点/.test(m[1]!)) fields.deadline = value;
  }
  return fields;
}

function unitsOf(lead: string, others: string[], resolver: UnitResolver) {
  const rest = others.filter((o) => o && o !== lead).join('、');
  const unitsText = lead && rest ? `${lead}牵头，${rest}` : lead || rest;
  const assignment = resolver.resolve(unitsText);
  if (lead && !rest) assignment.lead = assignment.units[0] ?? null;
  return { unitsText, assignment };
}

/**
 * Body text: a numbered task with an inline unit note is one task; otherwise every clause with
 * a dated or yearly deadline is a task for the paragraph's subject.
 */
function bodyItems(paragraphs: string[], year: number, resolver: UnitResolver, unread: UnreadDeadline[]): PlanItem[] {
  const items: PlanItem[] = [];
  let heading = '';
  for (const paragraph of paragraphs) {
    if (/^[一二三四五六七八九十]+、/.test(paragraph) && paragraph.length <= 30) heading = paragraph.replace(NUMBERING, '');
    const notes = [...paragraph.matchAll(INLINE)];
    if (notes.length) {
      const at = notes.at(-1)!.index!;
      const fields = inlineNote(paragraph.slice(at).replace(/[。.]$/, ''));
      const text = paragraph.slice(0, at).replace(NUMBERING, '').trim();
      const ref = `B${items.length + 1}`;
      const found = findDeadline(text, year);
      const deadlineText = fields.deadline || found?.phrase || '';
      items.push({
        ref,
        kind: 'body',
        path: heading ? [heading] : [],
        text,
        ...unitsOf(fields.lead, fields.units, resolver),
        deadlineText,
        rule: fields.deadline ? deadlineRule(fields.deadline, year, unread, ref) : (found?.rule ?? { type: 'ongoing' }),
      });
      continue;
    }
    const trailing = trailingUnits(paragraph);
    if (trailing) {
      const text = paragraph.slice(0, trailing.at).replace(NUMBERING, '').trim();
      const found = findDeadline(text, year);
      const assignment = resolver.resolve(trailing.unitsText);
      items.push({ ref: `B${items.length + 1}`, kind: 'body', path: heading ? [heading] : [], text, unitsText: trailing.unitsText, assignment, deadlineText: found?.phrase ?? '', rule: found?.rule ?? { type: 'ongoing' } });
      continue;
    }
    for (const clause of paragraph.split(/(?<=[。；])/)) {
      const found = findDeadline(clause, year);
      if (!found) continue;
      const unitsText = SUBJECT.exec(paragraph)?.[1] ?? '各级各部门';
      items.push({
        ref: `B${items.length + 1}`,
        kind: 'body',
        path: [],
        text: clause.trim(),
        unitsText,
        assignment: resolver.resolve(unitsText),
        deadlineText: found.phrase,
        rule: found.rule,
      });
    }
  }
  return items;
}

/**
 * 附件2 of the Yiyuan plan, 常态化工作任务清单: 一级…四级指标, 五级指标 (the requirement), 评估对象.
 * One section has no 四级 column; a level left blank inherits the row above only while
 * every level above it is blank too (a merged cell never spans its parent's boundary).
 */
function indicatorItems(rows: string[][], year: number, resolver: UnitResolver, first: number): PlanItem[] {
  const items: PlanItem[] = [];
  let levels = ['', '', '', ''];
  let unitsText = '';
  for (const row of rows.filter((r) => !r.includes('五级指标'))) {
    if (row.length !== 5 && row.length !== 6) throw new PlanFormatError(`the 五级指标 table has a row of ${row.length} cells: ${row.join(' | ')}`);
    const [own, requirement, units] =
      row.length === 6 ? [row.slice(0, 4), row[4]!, row[5]!] : [[...row.slice(0, 3), ''], row[3]!, row[4]!];
    if (!requirement) continue; // a row without a requirement is not a checklist item
    const firstGiven = own.findIndex((c) => c !== '');
    levels = own.map((c, i) => (firstGiven === -1 || i < firstGiven ? levels[i]! : c));
    if (units) unitsText = units;
    const found = findDeadline(requirement, year);
    items.push({
      ref: `C${first + items.length}`,
      kind: 'checklist',
      path: levels,
      text: requirement,
      unitsText,
      assignment: resolver.resolve(unitsText),
      deadlineText: found?.phrase ?? '',
      rule: found?.rule ?? { type: 'ongoing' },
    });
  }
  return items;
}

type Role = 'no' | 'path' | 'requirement' | 'lead' | 'units' | 'deadline';
// most specific first: 公开内容 is a requirement, 公开事项 a task, 公开主体 a unit, 公开时限 a deadline
const ROLES: [Role, RegExp][] = [
  ['no', /^(序号|编号|序)$/],
  ['deadline', /完成时限|时限要求|时间节点|公开时限|完成时间|时限|时间安排/],
  ['lead', /牵头单位|牵头部门/],
  ['units', /责任单位|责任部门|责任科室|配合单位|配合部门|公开主体|实施主体|评估对象|责任主体/],
  ['requirement', /工作要求|具体要求|具体内容|具体措施|公开内容|工作措施|任务要求|主要内容/],
  ['path', /工作任务|重点任务|任务内容|工作内容|公开事项|主要任务|任务名称|工作事项|事项|指标|类别|任务/],
];
const roleOf = (label: string): Role | null => ROLES.find(([, re]) => re.test(label))?.[0] ?? null;

/** A row's grid columns: each names the cell that fills it (a spanning cell fills several). */
function grid(row: Cell[]): { text: string; cell: number; merged: boolean }[] {
  return row.flatMap((c, i) => Array.from({ length: c.span }, () => ({ text: clean(c.text), cell: i, merged: c.merged })));
}

type Layout = { roles: (Role | null)[]; checklist: boolean; dataFrom: number };

/**
 * Finds the header row (within the first rows) by its words; a second header row refines the
 * columns a first-row cell spans (公开事项 → 一级事项, 二级事项). Data wider than the header
 * (the shipped 工作任务 heads two columns) widens the last task column.
 */
function layoutOf(rows: Cell[][]): Layout | null {
  for (let h = 0; h < Math.min(rows.length, 4); h++) {
    const top = grid(rows[h]!);
    const roles = top.map((c) => roleOf(c.text));
    const found = new Set(roles.filter(Boolean));
    if (found.size < 2 || !(found.has('units') || found.has('requirement') || found.has('path'))) continue;
    let dataFrom = h + 1;
    const next = rows[h + 1] ? grid(rows[h + 1]!) : [];
    const second = next.length > 0 && !/^\d+$/.test(next[0]!.text) && next.every((c) => c.merged || c.text.length <= 10) && next.some((c) => !c.merged && roleOf(c.text));
    if (second) {
      dataFrom++;
      if (next.length === top.length) {
        next.forEach((c, i) => {
          if (!c.merged && c.text) roles[i] = roleOf(c.text) ?? roles[i]!;
        });
      }
    }
    const width = mostCommon(rows.slice(dataFrom).map((r) => grid(r).length));
    const lastPath = roles.lastIndexOf('path');
    while (roles.length < width && lastPath >= 0) roles.splice(lastPath, 0, 'path');
    const words = top.map((c) => c.text).join(' ');
    return { roles, checklist: /公开事项|评估对象/.test(words), dataFrom };
  }
  return null;
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
}

/**
 * A task table: columns found by header words in any order. Blank, merged and 同上 cells
 * inherit the row above (path levels only below a level that is itself inherited); a row
 * whose one cell spans the table is a section heading; no deadline column means ongoing.
 */
function tableItems(rows: Cell[][], layout: Layout, year: number, resolver: UnitResolver, unread: UnreadDeadline[], next: { T: number; C: number }): PlanItem[] {
  const { roles } = layout;
  const cols = (role: Role) => roles.flatMap((r, i) => (r === role ? [i] : []));
  const [pathCols, unitCols, leadCol, deadlineCol, reqCol] = [cols('path'), cols('units'), cols('lead')[0], cols('deadline')[0], cols('requirement')[0]];
  const items: PlanItem[] = [];
  let section = '';
  let prev: string[] = roles.map(() => '');
  for (const row of rows.slice(layout.dataFrom)) {
    const g = grid(row);
    const texts = roles.map((_, i) => g[i]?.text ?? '');
    if (texts.every((t) => t === '')) continue;
    if (new Set(g.map((c) => c.cell)).size === 1) {
      section = texts.find(Boolean)!.replace(NUMBERING, '');
      prev = roles.map(() => '');
      continue;
    }
    if (roles.every((r, i) => texts[i] === '' || roleOf(texts[i]!) === r)) continue; // the header repeated on a new page
    const given = (i: number) => texts[i] !== '' && texts[i] !== '同上' && !g[i]?.merged;
    const firstGiven = pathCols.findIndex(given);
    const cells = texts.map((t, i) => {
      if (pathCols.includes(i)) return firstGiven === -1 || pathCols.indexOf(i) < firstGiven ? (t && t !== '同上' ? t : prev[i]!) : t;
      if (i === reqCol) return t === '同上' ? prev[i]! : t;
      return t === '' || t === '同上' ? prev[i]! : t;
    });
    prev = cells;
    const levels = pathCols.map((i) => cells[i]!).filter((t, k, all) => t && (k === 0 || g[pathCols[k]!]?.cell !== g[pathCols[k - 1]!]?.cell || t !== all[k - 1]));
    const text = reqCol !== undefined && cells[reqCol] ? cells[reqCol]! : reqCol === undefined ? (levels.pop() ?? '') : '';
    if (!text) continue;
    const kind = layout.checklist ? 'checklist' : 'task';
    const ref = kind === 'task' ? `T${next.T++}` : `C${next.C++}`;
    const deadlineText = deadlineCol === undefined ? '' : cells[deadlineCol]!;
    const found = deadlineCol === undefined ? findDeadline(text, year) : null;
    items.push({
      ref,
      kind,
      path: section ? [section, ...levels] : levels,
      text,
      ...unitsOf(leadCol === undefined ? '' : cells[leadCol]!, unitCols.map((i) => cells[i]!), resolver),
      deadlineText: deadlineText || found?.phrase || '',
      rule: deadlineText ? deadlineRule(deadlineText, year, unread, ref) : (found?.rule ?? { type: 'ongoing' }),
    });
  }
  return items;
}

/** A plan read from its document, with what the importer shows before writing anything. */
export type ParsedPlan = { plan: Plan; unread: UnreadDeadline[] };

/** Turns a plan document of any supported layout into validated plan items. Pure. */
export function parsePlanDocument(doc: PlanDocument, resolver: UnitResolver, opts: PlanOptions = {}): ParsedPlan {
  const { title, titleAt, year, issueDate, paras } = header(doc, opts);
  const bodyEnd = checkAnnexes(paras, titleAt);
  const unread: UnreadDeadline[] = [];
  const next = { T: 1, C: 1 };
  const tables: PlanItem[] = [];
  let tablesSeen = 0;
  doc.forEach((b, at) => {
    if (b.type !== 'table' || at < titleAt) return;
    tablesSeen++;
    const rows = b.rows;
    if (rows.some((r) => r.some((c) => clean(c.text) === '五级指标'))) {
      const found = indicatorItems(rows.map((r) => r.map((c) => (c.merged ? '' : clean(c.text)))), year, resolver, next.C);
      next.C += found.length;
      tables.push(...found);
      return;
    }
    const layout = layoutOf(rows);
    if (layout) tables.push(...tableItems(rows, layout, year, resolver, unread, next));
  });
  const body = bodyItems(
    paras.filter((p) => p.at > titleAt && p.at < bodyEnd).map((p) => p.text),
    year,
    resolver,
    unread,
  );
  const items = [...tables.filter((i) => i.kind === 'task'), ...tables.filter((i) => i.kind === 'checklist'), ...body];
  if (items.length === 0) {
    throw new PlanFormatError(tablesSeen ? 'no table has a header naming its tasks and units (序号, 工作任务, 责任单位, 完成时限 …), and the body names no task' : 'it names no task: no task table and no body task with a deadline or 责任单位');
  }
  const warnings = unread.map((u) => `${u.ref}: deadline "${u.text}" is not understood; kept as 及时公开 until the coordinator sets a date`);
  for (const item of items) {
    for (const name of item.assignment.unassigned) {
      if (/^[县市].*(局|中心|公司|办公室|社)$/.test(name)) warnings.push(`${item.ref}: unit "${name}" is not in the unit directory`);
    }
  }
  return { plan: planSchema.parse({ title, year, issueDate, items, warnings }), unread };
}

/** The plan in Word's tab-indented text export (the shipped plan). */
export function parsePlan(text: string, resolver: UnitResolver, opts: PlanOptions = {}): Plan {
  return parsePlanDocument(textDocument(text), resolver, opts).plan;
}

/** A plan with the directory its units resolve against. */
export type ReadPlan = ParsedPlan & { directory: UnitDirectory; ownDirectory: boolean };

/**
 * Whether a plan comes from a county the directory does not cover: its title names a place no
 * unit of the directory carries (淄博市…, 桓台县…), or most units it names are unknown.
 */
function foreign(plan: Plan, directory: UnitDirectory, resolver: UnitResolver): boolean {
  const place = /^([\u4e00-\u9fa5]{2,6}?)(县|市|区|旗|镇|乡|街道)/.exec(plan.title.replace(/\d{4}年(度)?/, ''))?.[1];
  if (place) return !directory.units.some((u) => u.name.includes(place));
  const unknown = new Set(plan.items.flatMap((i) => i.assignment.unassigned.filter(looksLikeUnit)));
  const named = new Set(plan.items.flatMap((i) => splitList(i.unitsText).flatMap((part) => resolver.lookup(part) ?? [])));
  return unknown.size >= 3 && unknown.size > named.size;
}

/**
 * Reads a plan against the county's directory; a plan from another county gets a directory of
 * the units it names instead (kinds guessed), so its group words expand to its own towns and
 * departments rather than the directory's.
 */
export function readPlan(doc: PlanDocument, directory: UnitDirectory, opts: PlanOptions = {}): ReadPlan {
  const resolver = new UnitResolver(directory);
  const first = parsePlanDocument(doc, resolver, opts);
  if (!foreign(first.plan, directory, resolver)) return { ...first, directory, ownDirectory: false };
  const bare = parsePlanDocument(doc, new UnitResolver({ aliases: {}, units: [] }), opts);
  const names = bare.plan.items.flatMap((i) => i.assignment.unassigned.filter(looksLikeUnit));
  if (names.length === 0) return { ...first, directory, ownDirectory: false };
  const own = directoryFromNames(names);
  return { ...parsePlanDocument(doc, new UnitResolver(own), opts), directory: own, ownDirectory: true };
}
