import { writeFileSync } from 'node:fs';
import { writeWhole } from '../../../db/files.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import { liaisonsByUnit } from '../../../db/liaisons.js';
import { ledgerRows, rowStatus, type LedgerRow, type RowStatus } from '../../../db/status.js';
import { addDays, type WorkCalendar } from '../../../schedules/calendar.js';
import { fromShanghai, shanghaiDate, shanghaiTime } from '../../../schedules/clock.js';
import { rowLabel } from '../reminders/lines.js';
import { ledgerText } from '../text/ledger.js';
import { exportText } from '../text/messages.js';

/** One ledger row as the coordinator hands it in: status words, dates, who. */
export type ExportRow = LedgerRow & { status: RowStatus; state: string; onTime: boolean | null; liaison: string; doneDay: string | null };

/** 已完成（按期）/ 已完成（逾期3个工作日）/ 逾期 / 进行中 / 待分配 on the day `at`. */
function describe(r: LedgerRow, at: string, issueDate: string, calendar: WorkCalendar): { state: string; onTime: boolean | null } {
  const status = rowStatus(r, at, issueDate);
  if (status === 'done') {
    const day = shanghaiDate(new Date(r.doneAt!));
    if (r.due === null || day <= r.due) return { state: exportText.doneOnTime, onTime: true };
    return { state: exportText.doneLate(calendar.workdaysBetween(r.due, day)), onTime: false };
  }
  return { state: exportText.status[status], onTime: null };
}

export function exportRows(db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string): ExportRow[] {
  const names = liaisonsByUnit(db);
  // as the ledger stood at the end of that day (Asia/Shanghai)
  const before = fromShanghai(`${addDays(at, 1)} 00:00`)!.toISOString();
  return ledgerRows(db, plan.id, undefined, before).map((r) => ({
    ...r,
    ...describe(r, at, plan.issueDate, calendar),
    status: rowStatus(r, at, plan.issueDate),
    liaison: r.unitId === null ? '' : (names.get(r.unitId)?.map((l) => l.name).join('、') ?? ''),
    doneDay: r.doneAt ? shanghaiDate(new Date(r.doneAt)) : null,
  }));
}

/** The row's status in one Chinese word (待办, 已完成, 逾期完成, 逾期, 不适用, 未分配), as the CSV and workbook show it. */
export const statusWord = (r: ExportRow) => ledgerText.statusWord[r.status === 'done' && !r.onTime ? 'doneLate' : r.status];

/** The quarterly self-checks of 常态化 / 长期坚持 items: counted apart, or they drown the tasks. */
export const isSelfCheck = (r: ExportRow) => r.ruleType === 'ongoing';

/** The county (or city, district, town) a plan is of, from its title: 2023年沂源县政务公开工作方案 → 沂源县. */
export const planPlace = (title: string) => /^[\u4e00-\u9fa5]{1,8}?[省市县区镇乡]/.exec(title.replace(/\d{4}年/, ''))?.[0] ?? '';

export type UnitFigures = { unit: string; items: number; fellDue: number; done: number; onTime: number; late: number; overdue: number; open: number; rate: number | null };

/** Per unit, over the rows due in [from, to] (all rows when no range): worst first. */
export function unitFigures(rows: ExportRow[], from?: string, to?: string): UnitFigures[] {
  const byUnit = new Map<string, UnitFigures>();
  for (const r of rows) {
    // rows due before the plan was issued are not applicable: not counted either way
    if (r.unit === null || r.status === 'notApplicable') continue;
    if (from && (r.due === null || r.due < from || r.due > to!)) continue;
    const f = byUnit.get(r.unit) ?? { unit: r.unit, items: 0, fellDue: 0, done: 0, onTime: 0, late: 0, overdue: 0, open: 0, rate: null };
    f.items++;
    if (r.status === 'done') {
      f.done++;
      if (r.onTime) f.onTime++;
      else f.late++;
    } else if (r.status === 'overdue') f.overdue++;
    else f.open++;
    byUnit.set(r.unit, f);
  }
  for (const f of byUnit.values()) {
    f.fellDue = f.onTime + f.late + f.overdue;
    f.rate = f.fellDue ? f.onTime / f.fellDue : null;
  }
  return [...byUnit.values()].sort((a, b) => b.overdue - a.overdue || (a.rate ?? 1) - (b.rate ?? 1) || a.unit.localeCompare(b.unit, 'zh'));
}

/** The calendar quarter '2023Q4' as a date range; null when not a quarter. */
export function quarterRange(quarter: string): { from: string; to: string } | null {
  const m = /^(\d{4})\s*[Qq]([1-4])$/.exec(quarter.trim());
  if (!m) return null;
  const q = Number(m[2]);
  const end = new Date(Date.UTC(Number(m[1]), q * 3, 0)).toISOString().slice(0, 10);
  return { from: `${m[1]}-${String(q * 3 - 2).padStart(2, '0')}-01`, to: end };
}

export const quarterOf = (date: string) => `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

export const unitCell = (r: ExportRow) => r.unit ?? exportText.unassigned(r.unassignedLabel);
export const deadline = (r: ExportRow) => (r.occurrence ? `${r.deadlineText || '常态化'}（${r.occurrence}）` : r.deadlineText || '常态化');

const csvCell = (v: string | null) => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The same rows as CSV (UTF-8 with BOM, so Excel and WPS read the Chinese). */
export async function writeLedgerCsv(path: string, db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string): Promise<number> {
  const rows = exportRows(db, plan, calendar, at);
  const header = ['序号', '类别', '工作任务', '工作要求', '责任单位', '时限要求', '责任人', '到期日', '完成时间', '状态', '完成情况', '公开链接'];
  const lines = rows.map((r) =>
    [
      r.ref,
      r.kind,
      r.path.filter(Boolean).join(' / '),
      r.text,
      unitCell(r),
      deadline(r),
      r.liaison,
      r.due,
      r.doneAt ? shanghaiTime(new Date(r.doneAt)) : null,
      statusWord(r),
      r.state,
      r.evidence,
    ]
      .map(csvCell)
      .join(','),
  );
  await writeWhole(path, (tmp) => writeFileSync(tmp, `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`));
  return rows.length;
}

/** /report 2023Q4: per unit, what fell due in the quarter and how it stands, worst first. */
export function quarterReportText(db: Ledger, plan: PlanRow, calendar: WorkCalendar, quarter: string, at: string): string {
  const range = quarterRange(quarter)!;
  const rows = exportRows(db, plan, calendar, at).filter((r) => r.due !== null && r.due >= range.from && r.due <= range.to);
  const lines = [exportText.quarterTitle(quarter, range.from, range.to, at)];
  for (const f of unitFigures(rows)) {
    const overdue = rows.filter((r) => r.unit === f.unit && r.status === 'overdue').map((r) => rowLabel(r.ref, r.occurrence));
    lines.push(exportText.quarterLine(f.unit, f.fellDue, f.onTime, f.late, f.overdue, f.open, overdue));
  }
  return lines.join('\n');
}
