import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Ledger } from '../db/open.js';
import type { PlanRow } from '../db/queries.js';
import { ledgerRows, liaisonNamesByUnit, rowStatus, type LedgerRow } from '../db/status.js';
import type { WorkCalendar } from '../schedules/calendar.js';
import { shanghaiDate, shanghaiTime } from '../schedules/clock.js';
import { rowLabel } from './lines.js';
import { exportText } from './messages.js';

/** One ledger row as the coordinator hands it in: status words, dates, who. */
export type ExportRow = LedgerRow & { status: string; state: string; onTime: boolean | null; liaison: string; doneDay: string | null };

/** 已完成（按期）/ 已完成（逾期3个工作日）/ 逾期 / 进行中 / 待分配 on the day `at`. */
function describe(r: LedgerRow, at: string, calendar: WorkCalendar): { state: string; onTime: boolean | null } {
  const status = rowStatus(r, at);
  if (status === 'done') {
    const day = shanghaiDate(new Date(r.doneAt!));
    if (r.due === null || day <= r.due) return { state: exportText.doneOnTime, onTime: true };
    return { state: exportText.doneLate(calendar.workdaysBetween(r.due, day)), onTime: false };
  }
  return { state: exportText.status[status], onTime: null };
}

export function exportRows(db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string): ExportRow[] {
  const names = liaisonNamesByUnit(db);
  return ledgerRows(db, plan.id).map((r) => ({
    ...r,
    ...describe(r, at, calendar),
    status: rowStatus(r, at),
    liaison: r.unitId === null ? '' : (names.get(r.unitId)?.join('、') ?? ''),
    doneDay: r.doneAt ? shanghaiDate(new Date(r.doneAt)) : null,
  }));
}

export type UnitFigures = { unit: string; items: number; fellDue: number; done: number; onTime: number; late: number; overdue: number; open: number; rate: number | null };

/** Per unit, over the rows due in [from, to] (all rows when no range): worst first. */
export function unitFigures(rows: ExportRow[], from?: string, to?: string): UnitFigures[] {
  const byUnit = new Map<string, UnitFigures>();
  for (const r of rows) {
    if (r.unit === null) continue;
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

// Excel shows a Date by its UTC fields: a Shanghai day or wall-clock time is written as such.
const excelDate = (day: string) => new Date(`${day}T00:00:00Z`);
const excelTime = (instant: string) => new Date(`${shanghaiTime(new Date(instant)).replace(' ', 'T')}:00Z`);

type Column = { header: string; width: number; value: (r: ExportRow) => ExcelJS.CellValue; format?: string };

const link = (r: ExportRow): ExcelJS.CellValue => (r.evidence ? { text: r.evidence, hyperlink: r.evidence } : null);
const dateColumns: Column[] = [
  { header: '责任人', width: 12, value: (r) => r.liaison || null },
  { header: '到期日', width: 12, value: (r) => (r.due ? excelDate(r.due) : null), format: 'yyyy-mm-dd' },
  { header: '完成时间', width: 17, value: (r) => (r.doneAt ? excelTime(r.doneAt) : null), format: 'yyyy-mm-dd hh:mm' },
  { header: '完成情况', width: 22, value: (r) => r.state },
  { header: '公开链接', width: 40, value: link },
];
const unitCell = (r: ExportRow) => r.unit ?? exportText.unassigned(r.unassignedLabel);
const deadline = (r: ExportRow) => (r.occurrence ? `${r.deadlineText || '常态化'}（${r.occurrence}）` : r.deadlineText || '常态化');

/** 附件1's own columns (序号, 工作任务, 工作要求, 责任单位, 时限要求) plus the ledger's. */
const taskColumns: Column[] = [
  { header: '序号', width: 8, value: (r) => r.ref },
  { header: '工作任务', width: 24, value: (r) => r.path.filter(Boolean).join('\n') || null },
  { header: '工作要求', width: 50, value: (r) => r.text },
  { header: '责任单位', width: 20, value: unitCell },
  { header: '时限要求', width: 24, value: deadline },
  ...dateColumns,
];

/** 附件2: the indicator path, the requirement (五级指标), 评估对象. */
const checklistColumns: Column[] = [
  { header: '序号', width: 8, value: (r) => r.ref },
  ...['一级指标', '二级指标', '三级指标', '四级指标'].map((header, i) => ({ header, width: 14, value: (r: ExportRow) => r.path[i] || null })),
  { header: '五级指标', width: 50, value: (r) => r.text },
  { header: '评估对象', width: 20, value: unitCell },
  { header: '时限要求', width: 20, value: deadline },
  ...dateColumns,
];

function addSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: ExportRow[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.format ? { numFmt: c.format } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r)));
  ws.getColumn(columns.length).eachCell((cell, n) => {
    if (n > 1 && cell.value) cell.font = { color: { argb: 'FF0563C1' }, underline: true };
  });
  for (const c of [3, 6]) ws.getColumn(c).alignment = { wrapText: true, vertical: 'top' };
}

function addFigures(wb: ExcelJS.Workbook, name: string, figures: UnitFigures[], title: string): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.addRow([title]).font = { bold: true };
  const header = ws.addRow(['责任单位', '事项数', '已到期', '已完成', '按期完成', '逾期完成', '逾期未完成', '按期率']);
  header.font = { bold: true };
  for (const f of figures) ws.addRow([f.unit, f.items, f.fellDue, f.done, f.onTime, f.late, f.overdue, f.rate]);
  ws.getColumn(8).numFmt = '0.0%';
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 11));
}

/**
 * The ledger (工作台账) workbook: 附件1 tasks, 附件2 checklist items and body tasks, one row per
 * item, unit and occurrence; a summary per unit worst first; the quarter's inspection sheet.
 */
export function ledgerWorkbook(db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string, quarter = quarterOf(at)): ExcelJS.Workbook {
  const rows = exportRows(db, plan, calendar, at);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zwgk-liaison-bot';
  addFigures(wb, '汇总', unitFigures(rows), exportText.summaryTitle(plan.title, at));
  addSheet(wb, '附件1 重点工作任务', taskColumns, rows.filter((r) => r.kind === 'task'));
  addSheet(wb, '附件2 常态化任务清单', checklistColumns, rows.filter((r) => r.kind === 'checklist'));
  addSheet(wb, '正文任务', taskColumns, rows.filter((r) => r.kind === 'body'));
  const range = quarterRange(quarter)!;
  const inQuarter = rows.filter((r) => r.due !== null && r.due >= range.from && r.due <= range.to);
  addFigures(wb, `季度检查 ${quarter}`, unitFigures(inQuarter), exportText.quarterTitle(quarter, range.from, range.to, at));
  addSheet(wb, `季度明细 ${quarter}`, taskColumns, inQuarter.filter((r) => r.unit !== null));
  return wb;
}

export async function writeLedgerXlsx(path: string, db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string, quarter?: string): Promise<number> {
  const wb = ledgerWorkbook(db, plan, calendar, at, quarter);
  await wb.xlsx.writeFile(path);
  return exportRows(db, plan, calendar, at).length;
}

const csvCell = (v: string | null) => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The same rows as CSV (UTF-8 with BOM, so Excel and WPS read the Chinese). */
export function writeLedgerCsv(path: string, db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string): number {
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
      r.status,
      r.state,
      r.evidence,
    ]
      .map(csvCell)
      .join(','),
  );
  writeFileSync(path, `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`);
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
