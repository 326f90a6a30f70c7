import { findDeadline, parseDeadlineCell } from './deadlines.js';
import { planSchema, type Plan, type PlanItem, type Rule } from './plan-types.js';
import type { UnitResolver } from './units.js';

/** The text is not a plan this parser understands; the message says what is missing. */
export class PlanFormatError extends Error {}

const CJK = '\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef';
const SPACE_IN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');

/** A wrapped cell is joined without separators, as Chinese text wraps anywhere. */
function cleanCell(lines: string[]): string {
  return lines.map((l) => l.trim()).join('').replace(SPACE_IN_CJK, '').trim();
}

/**
 * Splits a table region into rows. A row is a block of lines separated by blank lines;
 * each cell starts with a tab and lines without one continue the cell before them.
 */
function tableRows(lines: string[]): string[][] {
  const rows: string[][] = [];
  let cells: string[][] | null = null;
  for (const line of lines) {
    if (line.trim() === '' && !line.startsWith('\t')) {
      if (cells) rows.push(cells.map(cleanCell));
      cells = null;
    } else if (line.startsWith('\t')) {
      (cells ??= []).push([line.slice(1)]);
    } else if (cells) {
      cells[cells.length - 1]!.push(line);
    }
  }
  if (cells) rows.push(cells.map(cleanCell));
  return rows;
}

/** Joins rows that a blank line broke in two, until each has at least `min` cells. */
function mendBrokenRows(rows: string[][], min: number): string[][] {
  const out: string[][] = [];
  let pending: string[] | null = null;
  for (const row of rows) {
    const joined: string[] = pending ? [...pending, ...row] : row;
    if (joined.length < min) pending = joined;
    else {
      out.push(joined);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}

function findLine(lines: string[], re: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i;
  return -1;
}

function deadlineRule(text: string, year: number, warnings: string[], ref: string): Rule {
  const rule = parseDeadlineCell(text, year);
  if (rule) return rule;
  warnings.push(`${ref}: deadline "${text}" is not understood; kept as 及时公开 until the coordinator sets a date`);
  return { type: 'asap' };
}

function header(lines: string[]) {
  const titleAt = findLine(lines, /^\s*\d{4}年.*政务公开工作方案\s*$/);
  if (titleAt < 0) throw new PlanFormatError('no title line such as "2023年…政务公开工作方案" was found');
  const title = lines[titleAt]!.trim();
  const year = Number(/^(\d{4})年/.exec(title)![1]);
  const dateAt = findLine(lines, /^\s*\d{4}年\d{1,2}月\d{1,2}日\s*$/);
  if (dateAt < 0 || dateAt > titleAt) throw new PlanFormatError('no issue date (成文日期) was found above the title');
  const [, y, m, d] = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(lines[dateAt]!)!;
  const issueDate = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  return { title, titleAt, year, issueDate };
}

// 各级各部门要…, 县财政局、县司法局…等部门…要
const SUBJECT = /(各级各部门|各镇（街道）|县[\u4e00-\u9fa5]{1,12}?(?:局|中心|办公室))/;

/** Body text: every clause with a dated or yearly deadline is a task for the paragraph's subject. */
function bodyItems(lines: string[], year: number, resolver: UnitResolver): PlanItem[] {
  const items: PlanItem[] = [];
  for (const paragraph of lines) {
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

/** 附件1 重点工作任务分解表: 序号, 工作任务, (sub-category), 工作要求, 责任单位, 时限要求. */
function taskItems(lines: string[], year: number, resolver: UnitResolver, warnings: string[]): PlanItem[] {
  const rows = mendBrokenRows(tableRows(lines).filter((r) => r[0] !== '序号'), 6);
  if (rows.length === 0) throw new PlanFormatError('附件1 has no numbered task rows');
  const items: PlanItem[] = [];
  let prev = ['', '', '', '', '', ''];
  for (const row of rows) {
    if (row.length !== 6 || !/^\d+$/.test(row[0]!)) throw new PlanFormatError(`附件1 has a row that is not a numbered task of 6 cells: ${row.join(' | ')}`);
    // merged (blank) cells inherit the row above
    const cells = row.map((c, i) => (c === '' ? prev[i]! : c));
    prev = cells;
    const [no, category, sub, requirement, unitsText, deadlineText] = cells as [string, string, string, string, string, string];
    const ref = `T${items.length + 1}`;
    if (Number(no) !== items.length + 1) throw new PlanFormatError(`附件1 row ${no} is out of order (expected ${items.length + 1})`);
    if (!requirement) throw new PlanFormatError(`附件1 row ${no} has no 工作要求`);
    items.push({
      ref,
      kind: 'task',
      path: [category, sub],
      text: requirement,
      unitsText,
      assignment: resolver.resolve(unitsText),
      deadlineText,
      rule: deadlineRule(deadlineText, year, warnings, ref),
    });
  }
  return items;
}

/**
 * 附件2 常态化工作任务清单: 一级…四级指标, 五级指标 (the requirement), 评估对象.
 * One section has no 四级 column; a level left blank inherits the row above only while
 * every level above it is blank too (a merged cell never spans its parent's boundary).
 */
function checklistItems(lines: string[], year: number, resolver: UnitResolver): PlanItem[] {
  const rows = mendBrokenRows(tableRows(lines).filter((r) => !r.includes('五级指标')), 5);
  const items: PlanItem[] = [];
  let levels = ['', '', '', ''];
  let unitsText = '';
  for (const row of rows) {
    if (row.length !== 5 && row.length !== 6) throw new PlanFormatError(`附件2 has a row of ${row.length} cells: ${row.join(' | ')}`);
    const [own, requirement, units] =
      row.length === 6 ? [row.slice(0, 4), row[4]!, row[5]!] : [[...row.slice(0, 3), ''], row[3]!, row[4]!];
    if (!requirement) continue; // a row without a requirement is not a checklist item
    const firstGiven = own.findIndex((c) => c !== '');
    levels = own.map((c, i) => (firstGiven === -1 || i < firstGiven ? levels[i]! : c));
    if (units) unitsText = units;
    const found = findDeadline(requirement, year);
    items.push({
      ref: `C${items.length + 1}`,
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

/** Turns the plan document into validated plan items. Pure: text in, data out. */
export function parsePlan(text: string, resolver: UnitResolver): Plan {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const { title, titleAt, year, issueDate } = header(lines);
  const annex1 = findLine(lines, /^\s*附件\s*1\s*$/, titleAt);
  const annex2 = findLine(lines, /^\s*附件\s*2\s*$/, Math.max(annex1, titleAt));
  if (annex1 < 0) throw new PlanFormatError('no 附件1 (重点工作任务分解表) was found');
  if (annex2 < 0) throw new PlanFormatError('no 附件2 (常态化工作任务清单) was found');
  const bodyEnd = findLine(lines, /^\s*附件[:：]/, titleAt);
  const warnings: string[] = [];
  const items = [
    ...taskItems(lines.slice(annex1 + 1, annex2), year, resolver, warnings),
    ...checklistItems(lines.slice(annex2 + 1), year, resolver),
    ...bodyItems(lines.slice(titleAt + 1, bodyEnd < 0 ? annex1 : bodyEnd), year, resolver),
  ];
  for (const item of items) {
    for (const name of item.assignment.unassigned) {
      if (/^[县市].*(局|中心|公司|办公室|社)$/.test(name)) warnings.push(`${item.ref}: unit "${name}" is not in the unit directory`);
    }
  }
  return planSchema.parse({ title, year, issueDate, items, warnings });
}
