// The ledger workbook (exceljs). Loaded only when a workbook is written: exceljs is slow to load.
import ExcelJS from 'exceljs';
import { writeWhole } from '../../../db/files.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import { shanghaiTime } from '../../../schedules/clock.js';
import { completionChartPng } from './chart.js';
import { deadline, exportRows, isSelfCheck, planPlace, quarterOf, quarterRange, statusWord, unitCell, unitFigures, type ExportRow, type UnitFigures } from './export.js';
import { ledgerText } from '../text/ledger.js';
import { exportText } from '../text/messages.js';

// Excel shows a Date by its UTC fields: a Shanghai day or wall-clock time is written as such.
const excelDate = (day: string) => new Date(`${day}T00:00:00Z`);
const excelTime = (instant: string) => new Date(`${shanghaiTime(new Date(instant)).replace(' ', 'T')}:00Z`);

type Column = { header: string; width: number; value: (r: ExportRow) => ExcelJS.CellValue; format?: string; wrap?: boolean };

const link = (r: ExportRow): ExcelJS.CellValue => (r.evidence ? { text: r.evidence, hyperlink: r.evidence } : null);
const dateColumns: Column[] = [
  { header: '责任人', width: 10, value: (r) => r.liaison || null },
  { header: '到期日', width: 12, value: (r) => (r.due ? excelDate(r.due) : null), format: 'yyyy-mm-dd' },
  { header: '完成时间', width: 17, value: (r) => (r.doneAt ? excelTime(r.doneAt) : null), format: 'yyyy-mm-dd hh:mm' },
  { header: ledgerText.status, width: 9, value: statusWord },
  { header: '完成情况', width: 16, value: (r) => r.state, wrap: true },
  { header: '公开链接', width: 30, value: link, wrap: true },
];

/** 附件1's own columns (序号, 工作任务, 工作要求, 责任单位, 时限要求) plus the ledger's; 序号 counts the rows, the plan's ref has its own column. */
const taskColumns: Column[] = [
  { header: ledgerText.ref, width: 7, value: (r) => r.ref },
  { header: '工作任务', width: 20, value: (r) => r.path.filter(Boolean).join('\n') || null, wrap: true },
  { header: '工作要求', width: 44, value: (r) => r.text, wrap: true },
  { header: '责任单位', width: 16, value: unitCell, wrap: true },
  { header: '时限要求', width: 22, value: deadline, wrap: true },
  ...dateColumns,
];

/** 附件2: the indicator path, the requirement (五级指标), 评估对象. */
const checklistColumns: Column[] = [
  { header: ledgerText.ref, width: 7, value: (r) => r.ref },
  ...['一级指标', '二级指标', '三级指标', '四级指标'].map((header, i) => ({ header, width: 12, value: (r: ExportRow) => r.path[i] || null, wrap: true })),
  { header: '五级指标', width: 40, value: (r) => r.text, wrap: true },
  { header: '评估对象', width: 16, value: unitCell, wrap: true },
  { header: '时限要求', width: 18, value: deadline, wrap: true },
  ...dateColumns,
];

// 公文 style: 宋体 title, 黑体 headers, 仿宋 body; thin borders all round
const BODY_FONT: Partial<ExcelJS.Font> = { name: '仿宋_GB2312', size: 11 };
const HEAD_FONT: Partial<ExcelJS.Font> = { name: '黑体', size: 11 };
const TITLE_FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 16, bold: true };
const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
/** title, 填报 block, then the table's header: repeated on every printed page */
const HEADER_ROW = 3;

type Filing = { filer: string; day: string; contact: string };

/** A sheet to print: A4 landscape, as wide as the page, a merged title, the 填报 block, the header row on every page. */
function sheet(wb: ExcelJS.Workbook, name: string, title: string, filing: Filing, widths: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const n = widths.length;
  ws.mergeCells(1, 1, 1, n);
  Object.assign(ws.getCell(1, 1), { value: title, font: TITLE_FONT, alignment: { horizontal: 'center', vertical: 'middle' } });
  ws.getRow(1).height = 32;
  // the 填报 block: three parts across the width
  const third = Math.floor(n / 3);
  const parts = [ledgerText.filerLabel(filing.filer), ledgerText.dateLabel(filing.day), ledgerText.contactLabel(filing.contact)];
  parts.forEach((value, i) => {
    const from = i * third + 1;
    const to = i === 2 ? n : (i + 1) * third;
    if (to > from) ws.mergeCells(2, from, 2, to);
    Object.assign(ws.getCell(2, from), { value, font: BODY_FONT, alignment: { vertical: 'middle' } });
  });
  ws.getRow(2).height = 22;
  return ws;
}

/** A bordered table from row `at`: a filled 黑体 header, 仿宋 cells. Returns the row after it. */
function table(ws: ExcelJS.Worksheet, at: number, header: string[], rows: ExcelJS.CellValue[][], style?: (col: number) => Partial<ExcelJS.Style>): number {
  header.forEach((value, i) =>
    Object.assign(ws.getCell(at, i + 1), { value, font: HEAD_FONT, fill: HEAD_FILL, border: BORDER, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } }),
  );
  // one style object per column, shared by its cells: tens of thousands of cells write in seconds, not tens
  const styles: Partial<ExcelJS.Style>[] = header.map((_, i) => ({ font: BODY_FONT, border: BORDER, alignment: { vertical: 'top' }, ...style?.(i) }));
  rows.forEach((values, r) =>
    values.forEach((value, i) => {
      const cell = ws.getCell(at + 1 + r, i + 1);
      cell.value = value;
      cell.style = styles[i]!;
    }),
  );
  return at + 1 + rows.length;
}

function addSheet(wb: ExcelJS.Workbook, name: string, title: string, filing: Filing, columns: Column[], rows: ExportRow[]): void {
  const ws = sheet(wb, name, title, filing, [6, ...columns.map((c) => c.width)]);
  const last = table(
    ws,
    HEADER_ROW,
    [ledgerText.number, ...columns.map((c) => c.header)],
    rows.map((r, i) => [i + 1, ...columns.map((c) => c.value(r))]),
    (i) => {
      const c = columns[i - 1];
      if (!c) return { alignment: { horizontal: 'center', vertical: 'top' } };
      return { alignment: { vertical: 'top', wrapText: !!c.wrap }, ...(c.format ? { numFmt: c.format } : {}), ...(c.value === link ? { font: { ...BODY_FONT, color: { argb: 'FF0563C1' }, underline: true } } : {}) };
    },
  );
  ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: Math.max(HEADER_ROW, last - 1), column: columns.length + 1 } };
}

const RATE = 9; // the 按期率 column of a figures table

/** Per unit figures numbered 1…n (the chart's numbers), then their 合计. Returns the row after it. */
function figuresTable(ws: ExcelJS.Worksheet, at: number, figures: UnitFigures[]): number {
  const sum = (k: 'items' | 'fellDue' | 'done' | 'onTime' | 'late' | 'overdue') => figures.reduce((n, f) => n + f[k], 0);
  const rate = (onTime: number, fellDue: number) => (fellDue ? onTime / fellDue : null);
  const rows: ExcelJS.CellValue[][] = figures.map((f, i) => [i + 1, f.unit, f.items, f.fellDue, f.done, f.onTime, f.late, f.overdue, f.rate]);
  rows.push([null, ledgerText.total, sum('items'), sum('fellDue'), sum('done'), sum('onTime'), sum('late'), sum('overdue'), rate(sum('onTime'), sum('fellDue'))]);
  const next = table(ws, at, [ledgerText.number, ...ledgerText.figuresHeader], rows, (i) => ({
    alignment: { horizontal: i === 1 ? 'left' : 'center', vertical: 'middle' },
    ...(i + 1 === RATE ? { numFmt: '0.0%' } : {}),
  }));
  ws.getRow(next - 1).eachCell((cell) => (cell.style = { ...cell.style, font: { ...HEAD_FONT, bold: true } })); // not the column's shared style
  return next;
}

/** 汇总: the tasks per unit worst first with their 合计; the quarterly self-checks apart; the chart. */
function addFigures(wb: ExcelJS.Workbook, name: string, title: string, filing: Filing, rows: ExportRow[], chart: boolean): void {
  const ws = sheet(wb, name, title, filing, [6, 26, 9, 9, 9, 10, 10, 11, 9]);
  const tasks = unitFigures(rows.filter((r) => !isSelfCheck(r)));
  let next = figuresTable(ws, HEADER_ROW, tasks);
  ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: next - 2, column: RATE } };
  const heading = (at: number, value: string) => {
    ws.mergeCells(at, 1, at, RATE);
    Object.assign(ws.getCell(at, 1), { value, font: { ...HEAD_FONT, size: 12 }, alignment: { vertical: 'middle', wrapText: true } });
    ws.getRow(at).height = 36; // two lines: Excel does not grow a merged cell's row to its text
    return at + 1;
  };
  const selfChecks = unitFigures(rows.filter(isSelfCheck));
  if (selfChecks.length) next = figuresTable(ws, heading(next + 1, ledgerText.selfChecksHeading), selfChecks);
  if (!chart || tasks.length === 0) return;
  const at = heading(next + 1, ledgerText.chartHeading);
  const { png, width, height } = completionChartPng(tasks);
  ws.addImage(wb.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: 'png' }), { tl: { col: 0, row: at - 1 }, ext: { width, height } });
}

/**
 * The ledger (工作台账) workbook: 附件1 tasks, 附件2 checklist items and body tasks, one row per
 * item, unit and occurrence; a summary per unit worst first; the quarter's inspection sheet.
 */
function ledgerWorkbook(rows: ExportRow[], plan: PlanRow, at: string, quarter: string, contact: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zwgk-liaison-bot';
  const filing = { filer: ledgerText.filer(planPlace(plan.title)), day: at, contact };
  const rowsSheet = (name: string, columns: Column[], of: ExportRow[]) => addSheet(wb, name, ledgerText.sheetTitle(plan.title, name), filing, columns, of);
  addFigures(wb, '汇总', exportText.summaryTitle(plan.title, at), filing, rows, true);
  rowsSheet('附件1 重点工作任务', taskColumns, rows.filter((r) => r.kind === 'task'));
  rowsSheet('附件2 常态化任务清单', checklistColumns, rows.filter((r) => r.kind === 'checklist'));
  rowsSheet('正文任务', taskColumns, rows.filter((r) => r.kind === 'body'));
  const range = quarterRange(quarter)!;
  const inQuarter = rows.filter((r) => r.due !== null && r.due >= range.from && r.due <= range.to);
  addFigures(wb, `季度检查 ${quarter}`, ledgerText.sheetTitle(plan.title, exportText.quarterTitle(quarter, range.from, range.to, at)), filing, inQuarter, false);
  rowsSheet(`季度明细 ${quarter}`, taskColumns, inQuarter.filter((r) => r.unit !== null));
  return wb;
}

/** `contact`: who hands it in (联系人), left blank to be filled in by hand when not known. */
export async function writeLedgerXlsx(path: string, db: Ledger, plan: PlanRow, calendar: WorkCalendar, at: string, quarter = quarterOf(at), contact = ''): Promise<number> {
  const rows = exportRows(db, plan, calendar, at);
  await writeWhole(path, (tmp) => ledgerWorkbook(rows, plan, at, quarter, contact).xlsx.writeFile(tmp));
  return rows.length;
}

