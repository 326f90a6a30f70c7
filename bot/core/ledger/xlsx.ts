// The ledger workbook (exceljs). Loaded only when a workbook is written: exceljs is slow to load.
import ExcelJS from 'exceljs';
import { writeWhole } from '../../../db/files.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import { shanghaiTime } from '../../../schedules/clock.js';
import { deadline, exportRows, quarterOf, quarterRange, unitCell, unitFigures, type ExportRow, type UnitFigures } from './export.js';
import { exportText } from '../text/messages.js';

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
function ledgerWorkbook(rows: ExportRow[], plan: PlanRow, at: string, quarter = quarterOf(at)): ExcelJS.Workbook {
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
  const rows = exportRows(db, plan, calendar, at);
  await writeWhole(path, (tmp) => ledgerWorkbook(rows, plan, at, quarter).xlsx.writeFile(tmp));
  return rows.length;
}

