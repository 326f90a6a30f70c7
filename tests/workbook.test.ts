import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleMessage } from '../bot/core/inbound.js';
import { exportRows, isSelfCheck, planPlace } from '../bot/core/ledger/export.js';
import { writeLedgerXlsx } from '../bot/core/ledger/xlsx.js';
import { ledgerText } from '../bot/core/text/ledger.js';
import { currentPlan } from '../db/queries.js';
import { ACTORS, freshLedger } from './fixture-ledger.js';
import { calendar, tempDir } from './helpers.js';

const AT = '2023-12-20';
const STATUSES = Object.values(ledgerText.statusWord);
let fixture: ReturnType<typeof freshLedger>;
let wb: ExcelJS.Workbook;

// the fixture's clock is 2023-09-04: 县民政局 reports T17 (due 09-06) on time; the workbook is as of December
beforeAll(async () => {
  fixture = freshLedger();
  await handleMessage({ text: '完成 T17 https://www.yiyuan.gov.cn/art/2023/9/4/a.html', addressed: true, actor: ACTORS.liaison, isCoordinator: false }, fixture.deps);
  const path = join(tempDir(), 'ledger.xlsx');
  await writeLedgerXlsx(path, fixture.db, currentPlan(fixture.db)!, calendar, AT, undefined, '张主任');
  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
}, 60_000);

const values = (ws: ExcelJS.Worksheet, row: number) => (ws.getRow(row).values as ExcelJS.CellValue[]).slice(1);
/** the rows of a table from `from` until the first row with nothing in column B */
function tableRows(ws: ExcelJS.Worksheet, from: number): ExcelJS.CellValue[][] {
  const rows = [];
  for (let r = from; ws.getCell(r, 2).value !== null; r++) rows.push(values(ws, r));
  return rows;
}

describe('the workbook handed in as 工作台账', () => {
  it('has a merged title, the 填报 block and a header row, on every sheet', () => {
    const plan = currentPlan(fixture.db)!;
    for (const ws of wb.worksheets) {
      const width = ws.getRow(3).cellCount;
      expect(ws.getCell(1, width).master.address, ws.name).toBe('A1');
      expect(String(ws.getCell('A1').value)).toContain(plan.title);
      expect(ws.getCell('A1').font).toMatchObject({ name: '宋体', bold: true });
      const block = [...new Set(values(ws, 2))]; // a merged cell reads as its master's value in every column
      expect(block).toEqual([expect.stringMatching(/^填报单位：.+县大数据中心$/), `填报日期：${AT}`, '联系人：张主任']);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    }
  });

  it('is handed in by the plan\'s county (its 大数据中心), whatever the title\'s order', () => {
    const places = ['2023年沂源县政务公开工作方案', '东营市2024年政务公开工作实施方案', '2024年桓台县政务公开工作要点', '高青县信访局2024年政务公开重点任务清单', '南鲁山镇2024年政务公开工作任务分工'].map(planPlace);
    expect(places).toEqual(['沂源县', '东营市', '桓台县', '高青县', '南鲁山镇']);
    expect(places.map(ledgerText.filer)).toEqual(['沂源县大数据中心', '东营市大数据中心', '桓台县大数据中心', '高青县大数据中心', '南鲁山镇']);
  });

  it('numbers the rows 1…n with the plan\'s ref in its own column', () => {
    const ws = wb.getWorksheet('附件1 重点工作任务')!;
    expect(values(ws, 3).slice(0, 3)).toEqual(['序号', '编号', '工作任务']);
    const rows = tableRows(ws, 4);
    expect(rows.length).toBe(exportRows(fixture.db, currentPlan(fixture.db)!, calendar, AT).filter((r) => r.kind === 'task').length);
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => i + 1));
    expect(rows.every((r) => /^T\d+$/.test(String(r[1])))).toBe(true);
    expect(tableRows(wb.getWorksheet('附件2 常态化任务清单')!, 4)[0]!.slice(0, 2)).toEqual([1, 'C1']);
    expect(tableRows(wb.getWorksheet('正文任务')!, 4)[0]!.slice(0, 2)).toEqual([1, 'B1']);
  });

  it('prints in 公文 style: borders, 黑体 header on a fill, 仿宋 body', () => {
    const ws = wb.getWorksheet('附件1 重点工作任务')!;
    const header = ws.getCell('C3');
    expect(header.font.name).toBe('黑体');
    expect(header.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    const cell = ws.getCell('D4');
    expect(cell.font.name).toBe('仿宋_GB2312');
    for (const side of ['top', 'left', 'bottom', 'right'] as const) expect(cell.border[side]?.style).toBe('thin');
    expect(cell.alignment.wrapText).toBe(true);
  });

  it('fits A4 landscape one page wide, repeats the header row on every page and filters it', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup, ws.name).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(ws.pageSetup.printTitlesRow, ws.name).toBe('3:3');
    }
    const ws = wb.getWorksheet('附件1 重点工作任务')!;
    expect(ws.autoFilter).toBe(`A3:L${3 + tableRows(ws, 4).length}`);
  });

  it('shows each row\'s status in one Chinese word', () => {
    const ws = wb.getWorksheet('附件1 重点工作任务')!;
    const column = values(ws, 3).indexOf('状态');
    const statuses = tableRows(ws, 4).map((r) => r[column]);
    expect(statuses.every((s) => STATUSES.includes(s as string))).toBe(true);
    expect(new Set(statuses)).toEqual(new Set(['已完成', '逾期', '待办', '未分配']));
    const t17 = tableRows(ws, 4).find((r) => r[1] === 'T17' && r[4] === '县民政局')!;
    expect(t17[column]).toBe('已完成');
  });

  it('sums the tasks per unit with a 合计, and the self-checks apart', () => {
    const ws = wb.getWorksheet('汇总')!;
    expect(values(ws, 3)).toEqual(['序号', '责任单位', '事项数', '已到期', '已完成', '按期完成', '逾期完成', '逾期未完成', '按期率']);
    const rows = tableRows(ws, 4);
    const total = rows.at(-1)!;
    const units = rows.slice(0, -1);
    expect(units.map((r) => r[0])).toEqual(units.map((_, i) => i + 1));
    expect(total.slice(0, 2)).toEqual([undefined, '合计']);
    for (let c = 2; c < 8; c++) expect(total[c], `column ${c}`).toBe(units.reduce((n, r) => n + (r[c] as number), 0));
    expect(total[8]).toBeCloseTo((total[5] as number) / (total[3] as number));
    expect(ws.getCell(4 + units.length, 2).font.bold).toBe(true);

    // the quarterly self-checks (常态化, 长期坚持) do not count among a unit's tasks
    const rowsOf = exportRows(fixture.db, currentPlan(fixture.db)!, calendar, AT).filter((r) => r.unit === '县政府办公室' && r.status !== 'notApplicable');
    const office = units.find((r) => r[1] === '县政府办公室')!;
    expect(office[2]).toBe(rowsOf.filter((r) => !isSelfCheck(r)).length);
    const heading = 4 + rows.length + 1;
    expect(String(ws.getCell(heading, 1).value)).toContain('季度自查');
    const selfChecks = tableRows(ws, heading + 2);
    expect(selfChecks.find((r) => r[1] === '县政府办公室')![2]).toBe(rowsOf.filter(isSelfCheck).length);
    expect(selfChecks.at(-1)![1]).toBe('合计');
    expect(rowsOf.filter(isSelfCheck).length).toBeGreaterThan(rowsOf.filter((r) => !isSelfCheck(r)).length);
  });

  it('has the completion chart on the summary', () => {
    const images = wb.getWorksheet('汇总')!.getImages();
    expect(images).toHaveLength(1);
    const image = wb.getImage(Number(images[0]!.imageId));
    expect(image.extension).toBe('png');
    expect([...(image.buffer as unknown as Buffer).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});

describe('查询 图', () => {
  const ask = (text: string, actor: (typeof ACTORS)[keyof typeof ACTORS], isCoordinator: boolean) =>
    handleMessage({ text, addressed: true, actor, isCoordinator }, fixture.deps);

  it('sends a coordinator the per-unit completion as a PNG, the units named by number in the text', async () => {
    for (const words of ['查询 图', '/status chart', '/status 图表']) {
      const reply = (await ask(words, ACTORS.coordinator, true))!;
      expect(reply.file, words).toMatch(/完成情况-2023-2023-09-04\.png$/);
      const png = readFileSync(reply.file!);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length).toBeGreaterThan(10_000);
      expect(png.length).toBeLessThan(2_000_000);
      expect(png.readUInt32BE(16)).toBe(1388); // IHDR width: the chart at twice its size
      expect(reply.text).toMatch(/^各单位完成情况（截至 2023-09-04，不含季度自查）/);
      expect(reply.text).toMatch(/\n1\. \S+ \d+\/\d+\n/);
      expect(reply.text).toMatch(/\n\d+\. 县民政局 1\/\d+/);
    }
  });

  it('refuses a liaison, who has 查询 for their own unit', async () => {
    const reply = (await ask('查询 图', ACTORS.liaison, false))!;
    expect(reply).toEqual({ text: ledgerText.chartCoordinatorOnly });
  });
});
