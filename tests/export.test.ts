import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRoute } from '../bot/core/commands/context.js';
import { handleMessage, receive } from '../bot/core/inbound.js';
import type { InboundMessage } from '../bot/core/ports.js';
import { outbox } from '../db/schema.js';
import { exportText } from '../bot/core/text/messages.js';
import { ACTORS, freshLedger } from './fixture-ledger.js';
import { writeLedgerCsv } from '../bot/core/ledger/export.js';
import { writeLedgerXlsx } from '../bot/core/ledger/xlsx.js';
import { currentPlan } from '../db/queries.js';
import { ledgerRows, rowStatus } from '../db/status.js';
import { COORDINATOR, ROOM, startBot } from './bot-harness.js';
import { calendar, tempDir } from './helpers.js';

type Env = Awaited<ReturnType<typeof startBot>>;
let env: Env;
let wb: ExcelJS.Workbook;
const AT = '2023-09-08';

// A ledger built through the chat: two liaisons, T17 done on time with a link and late without.
beforeAll(async () => {
  env = await startBot('2023-09-05T02:00:00Z');
  for (const [name, unit] of [['王芳', '县民政局'], ['刘洋', '县财政局']]) {
    await env.say(name!, `绑定 ${unit}`);
    await env.say(COORDINATOR, `批准 ${name}`);
  }
  await env.say('王芳', '完成 T17 https://www.yiyuan.gov.cn/art/2023/9/5/a.html');
  env.clock.set(new Date('2023-09-08T03:00:00Z'));
  await env.say('刘洋', '完成 T17');
  const path = join(tempDir(), 'ledger.xlsx');
  await writeLedgerXlsx(path, env.db, currentPlan(env.db)!, calendar, AT);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
}, 60_000);
afterAll(() => env.stop());

// a title and the 填报 block above the header (row 3); rows numbered 1…n in 序号, the plan's ref in 编号
const rowsOf = (ws: ExcelJS.Worksheet) => (ws.getSheetValues().slice(4).filter(Boolean) as ExcelJS.CellValue[][]).map((r) => r.slice(1));
const header = (ws: ExcelJS.Worksheet) => (ws.getRow(3).values as ExcelJS.CellValue[]).slice(1);

describe('the exported ledger workbook', () => {
  it('has the sheets a coordinator hands in, with Chinese headers and a frozen header row', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '附件1 重点工作任务', '附件2 常态化任务清单', '正文任务', '季度检查 2023Q3', '季度明细 2023Q3']);
    const tasks = wb.getWorksheet('附件1 重点工作任务')!;
    expect(header(tasks)).toEqual(['序号', '编号', '工作任务', '工作要求', '责任单位', '时限要求', '责任人', '到期日', '完成时间', '状态', '完成情况', '公开链接']);
    expect(tasks.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(header(wb.getWorksheet('附件2 常态化任务清单')!)).toEqual([
      '序号', '编号', '一级指标', '二级指标', '三级指标', '四级指标', '五级指标', '评估对象', '时限要求', '责任人', '到期日', '完成时间', '状态', '完成情况', '公开链接',
    ]);
  });

  it('has one row per task, unit and occurrence, as many as the ledger', () => {
    const ledger = ledgerRows(env.db, currentPlan(env.db)!.id);
    const count = (kind: string) => ledger.filter((r) => r.kind === kind).length;
    expect(rowsOf(wb.getWorksheet('附件1 重点工作任务')!)).toHaveLength(count('task'));
    expect(rowsOf(wb.getWorksheet('附件2 常态化任务清单')!)).toHaveLength(count('checklist'));
    expect(rowsOf(wb.getWorksheet('正文任务')!)).toHaveLength(count('body'));
  });

  it('shows a done row with its liaison, real dates and a clickable link', () => {
    const row = rowsOf(wb.getWorksheet('附件1 重点工作任务')!).find((r) => r[1] === 'T17' && r[4] === '县民政局')!;
    expect(row[3]).toBe('加强主动公开基本目录动态管理，根据重点任务及群众需求，实时调整更新。');
    expect(row[5]).toBe('本方案发布之日起20个工作日内及时动态更新本单位主动公开基本目录');
    expect(row[6]).toBe('王芳');
    expect(row[7]).toEqual(new Date('2023-09-06T00:00:00Z'));
    expect(row[8]).toEqual(new Date('2023-09-05T10:00:00Z')); // 10:00 in Shanghai, as Excel shows it
    expect([row[0], row[9], row[10]]).toEqual([expect.any(Number), '已完成', '已完成（按期）']);
    expect(row[11]).toEqual({ text: 'https://www.yiyuan.gov.cn/art/2023/9/5/a.html', hyperlink: 'https://www.yiyuan.gov.cn/art/2023/9/5/a.html' });
    const late = rowsOf(wb.getWorksheet('附件1 重点工作任务')!).find((r) => r[1] === 'T17' && r[4] === '县财政局')!;
    expect([late[6], late[9], late[10], late[11] ?? null]).toEqual(['刘洋', '逾期完成', '已完成（逾期2个工作日）', null]);
    const unassigned = rowsOf(wb.getWorksheet('附件1 重点工作任务')!).find((r) => r[1] === 'T6')!;
    expect([unassigned[4], unassigned[9], unassigned[10]]).toEqual(['待分配（县政府有关部门单位）', '未分配', '待分配']);
  });

  it('sums each unit\'s tasks: done, on time, late, overdue and the on-time rate, worst first', () => {
    const ws = wb.getWorksheet('汇总')!;
    expect(header(ws)).toEqual(['序号', '责任单位', '事项数', '已到期', '已完成', '按期完成', '逾期完成', '逾期未完成', '按期率']);
    const all = rowsOf(ws).map((r) => r.slice(1));
    const rows = all.slice(0, all.findIndex((r) => r[0] === '合计'));
    // the quarterly self-checks (ruleType ongoing) are summed apart, below
    const ledger = ledgerRows(env.db, currentPlan(env.db)!.id).filter((r) => r.ruleType !== 'ongoing');
    const overdue = (unit: string) => ledger.filter((r) => r.unit === unit && rowStatus(r, AT, currentPlan(env.db)!.issueDate) === 'overdue').length;
    // rows due before the plan was issued (C192) are not applicable: not counted
    const total = (unit: string) => ledger.filter((r) => r.unit === unit && rowStatus(r, AT, currentPlan(env.db)!.issueDate) !== 'notApplicable').length;
    const civil = rows.find((r) => r[0] === '县民政局')!;
    expect(civil).toEqual(['县民政局', total('县民政局'), overdue('县民政局') + 1, 1, 1, 0, overdue('县民政局'), 1 / (overdue('县民政局') + 1)]);
    const finance = rows.find((r) => r[0] === '县财政局')!;
    expect(finance.slice(3, 7)).toEqual([1, 0, 1, overdue('县财政局')]);
    const overdueColumn = rows.map((r) => r[6] as number);
    expect(overdueColumn).toEqual([...overdueColumn].sort((a, b) => b - a));
  });

  it('writes the same rows as CSV', async () => {
    const path = join(tempDir(), 'ledger.csv');
    const n = await writeLedgerCsv(path, env.db, currentPlan(env.db)!, calendar, AT);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel and WPS read it as UTF-8
    const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toBe('序号,类别,工作任务,工作要求,责任单位,时限要求,责任人,到期日,完成时间,状态,完成情况,公开链接');
    const status = lines.slice(1).map((l) => l.split(',')[9]);
    expect(new Set(status)).toEqual(new Set(['已完成', '逾期完成', '逾期', '待办', '不适用', '未分配']));
    expect(lines.find((l) => l.startsWith('T17,') && l.includes('县民政局'))).toMatch(/,王芳,2023-09-06,2023-09-05 10:00,已完成,已完成（按期）,https:\/\/www\.yiyuan\.gov\.cn\/art\/2023\/9\/5\/a\.html$/);
  });
});

describe('/export and /report in the chat', () => {
  // the whole county's workbook: seconds on a busy machine
  it('sends the workbook to the coordinator privately: the group sees one short line and no path', { timeout: 60_000 }, async () => {
    const lines = await env.say(COORDINATOR, '/export');
    expect(lines.map((l) => [l.room, l.to, l.text])).toEqual([
      [ROOM, null, '@张主任 台账已导出，文件已私信发送给您。'],
      [null, COORDINATOR, '[文件] 工作台账-2023-2023-09-08.xlsx'],
    ]);
    expect(lines.filter((l) => l.room !== null && l.file !== null)).toEqual([]);
    // asked privately, answered there
    const privately = await env.say(COORDINATOR, '/export', null);
    expect(privately.map((l) => [l.room, l.to, l.text])).toEqual([
      [null, COORDINATOR, '台账已导出，文件随后发送。'],
      [null, COORDINATOR, '[文件] 工作台账-2023-2023-09-08.xlsx'],
    ]);
    expect(await env.texts('王芳', '/export')).toEqual(['@王芳 只有协调员可以使用这个命令。']);
  });

  it('names no server path when the puppet cannot send files', { timeout: 60_000 }, async () => {
    const puppet = env.chat.puppet as unknown as { messageSendFile: () => Promise<void> };
    const original = puppet.messageSendFile;
    puppet.messageSendFile = async () => {
      throw new Error('this puppet sends no files');
    };
    try {
      const lines = await env.say(COORDINATOR, '/export');
      expect(lines.map((l) => [l.room, l.to, l.text])).toEqual([
        [ROOM, null, '@张主任 台账已导出，文件已私信发送给您。'],
        [null, COORDINATOR, '当前渠道无法发送文件，台账已保存在机器人所在的服务器上，请联系管理员获取。'],
      ]);
    } finally {
      puppet.messageSendFile = original;
    }
  });

  it('reports a quarter by unit', async () => {
    const [report] = await env.texts(COORDINATOR, '/report 2023q3');
    expect(report).toMatch(/^@张主任 季度检查 2023Q3（2023-07-01 至 2023-09-30 到期事项，截至 2023-09-08）\n/);
    expect(report).toMatch(/\n县财政局：已到期\d+ · 按期0 · 逾期完成1 · 逾期未完成\d+ · 未到期\d+（逾期：/);
    // quarters in words too
    expect((await env.texts(COORDINATOR, '/report 2023年四季度'))[0]).toMatch(/^@张主任 季度检查 2023Q4（/);
    expect(await env.texts(COORDINATOR, '/report 2023Q5')).toEqual(['@张主任 「2023Q5」不是季度，格式如：/report 2023Q4']);
  });
});

describe('/export where nothing is private', () => {
  const ask = (fileRoute: FileRoute) => {
    const { db, deps } = freshLedger();
    const files = () => (existsSync(deps.exportDir) ? readdirSync(deps.exportDir) : []);
    return { db, files, reply: handleMessage({ text: '/export', addressed: true, actor: ACTORS.coordinator, isCoordinator: true, fileRoute }, deps) };
  };

  it('refuses in the group, says how to set it up, and writes nothing', async () => {
    const { db, files, reply } = ask(null);
    expect(await reply).toEqual({ text: exportText.noPrivateRoute });
    expect(exportText.noPrivateRoute).toContain('coordinatorGroup');
    expect(files()).toEqual([]);
    db.$client.close();
  });

  it('says the file went to the coordinators\' group when one is configured', async () => {
    const { db, reply } = ask('coordinatorGroup');
    expect(await reply).toMatchObject({ text: '台账已导出，文件已发送到协调员群。', file: expect.stringMatching(/工作台账-2023-2023-09-04\.xlsx$/) });
    db.$client.close();
  }, 30_000);
});

describe('where receive() sends an export file', () => {
  const said = (conversation: InboundMessage['conversation']): InboundMessage => ({
    channel: 'test',
    id: `m-${Math.random()}`,
    conversation,
    sender: { id: ACTORS.coordinator.contactId, name: ACTORS.coordinator.name },
    text: '/export',
    mentionsBot: true,
  });
  const run = async (route: { privateMessages: boolean; coordinatorGroup?: string }, conversation: InboundMessage['conversation']) => {
    const { db, deps } = freshLedger();
    await receive(said(conversation), { ...deps, coordinators: [{ name: '张主任', contactId: ACTORS.coordinator.contactId }], maxLength: 1500, ...route });
    const rows = db.select().from(outbox).all().map((r) => ({ target: r.target, kind: r.targetKind, file: r.filePath !== null, text: r.parts.join('') }));
    db.$client.close();
    return rows;
  };

  it('goes to the configured coordinators\' group when the channel cannot send privately', async () => {
    expect(await run({ privateMessages: false, coordinatorGroup: 'coordinators' }, { kind: 'room', id: 'liaisons' })).toEqual([
      { target: 'liaisons', kind: 'room', file: false, text: ' 台账已导出，文件已发送到协调员群。' },
      { target: 'coordinators', kind: 'room', file: true, text: '' },
    ]);
  }, 30_000);

  it('queues no file anywhere when there is neither', async () => {
    const rows = await run({ privateMessages: false }, { kind: 'room', id: 'liaisons' });
    expect(rows).toEqual([{ target: 'liaisons', kind: 'room', file: false, text: ` ${exportText.noPrivateRoute}` }]);
  }, 30_000);
});
