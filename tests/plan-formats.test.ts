import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../bot/cli/cli.js';
import { textDocument } from '../seeds/document.js';
import { parsePlan, readPlan, type PlanOptions } from '../seeds/parse-plan.js';
import { readPlanDocument } from '../seeds/read-document.js';
import { assignmentSpecs } from '../schedules/assignments.js';
import { eventOccurrence, occurrences } from '../schedules/due.js';
import { previewPlan } from '../schedules/preview.js';
import { asWordHolds, departmentXlsx, encode, toDocx } from './plan-files.js';
import { calendar, directory, plan, planText, recordingIo, resolver, tempDir } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/plans/${name}`, import.meta.url));
const fixtureText = (name: string) => fixture(name).toString('utf8');
const preview = async (bytes: Uint8Array, name: string, opts: PlanOptions = {}) =>
  previewPlan(readPlan(await readPlanDocument(bytes, name), directory, opts), calendar);
const byRef = (p: Awaited<ReturnType<typeof preview>>) => new Map(p.items.map((i) => [i.ref, i]));

describe('the shipped plan, saved in every format a county might send it', () => {
  it('parses exactly as the parser before this change did (a digest of its output)', () => {
    expect(createHash('sha256').update(JSON.stringify(parsePlan(planText, resolver))).digest('hex')).toBe(
      'e0d252231b8f83ac60c3b8791b627206bd7f1dc851932d8c7d54c2fc29e9caca',
    );
  });

  const windows = planText.replace(/\n/g, '\r\n');
  const copies: [string, () => Promise<Uint8Array> | Uint8Array][] = [
    ['plan.txt (UTF-8 with BOM)', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(planText)])],
    ['plan.txt (GBK, Windows line ends)', () => encode(windows, 'gbk')],
    ['plan.txt (GB18030)', () => encode(planText, 'gb18030')],
    ['plan.txt (UTF-16LE, Word "Unicode text")', () => encode(windows, 'utf-16le')],
    ['plan.txt (UTF-16BE)', () => encode(planText, 'utf-16be')],
    ['plan.txt (UTF-16LE without BOM)', () => encode(planText, 'utf-16le', false)],
    ['plan.docx', () => toDocx(asWordHolds(textDocument(planText)), { after: '沂源县人民政府办公室', text: '（印章）' })],
  ];
  it.each(copies)('%s gives the same items, units and rules', async (name, build) => {
    const read = readPlan(await readPlanDocument(await build(), name.split(' ')[0]!), directory);
    expect(read.ownDirectory).toBe(false);
    expect(read.plan).toEqual(plan);
    expect(assignmentSpecs(read.plan, calendar)).toEqual(assignmentSpecs(plan, calendar));
  });

  it('reads the .docx structurally: the merged header spans two columns, merged cells carry their text', async () => {
    const doc = await readPlanDocument(await toDocx(asWordHolds(textDocument(planText))), 'plan.docx');
    const tables = doc.flatMap((b) => (b.type === 'table' ? [b.rows] : []));
    expect(tables).toHaveLength(2);
    expect(tables[0]![0]!.map((c) => c.span)).toEqual([1, 2, 1, 1, 1]);
    expect(tables[0]![2]![1]).toEqual({ text: '推进绿色低碳高质量发展信息公开', span: 1, merged: true });
  });
});

describe('plans of other counties and layouts', () => {
  it('a city 实施方案 (.docx) whose tasks end in 〔责任单位：…〕, dated at the signature', async () => {
    const bytes = await toDocx(textDocument(fixtureText('city-implementation.txt')));
    const p = await preview(bytes, '东营市2024年政务公开工作实施方案.docx');
    expect(p).toMatchObject({ title: '东营市2024年政务公开工作实施方案', year: 2024, issueDate: '2024-04-10', counts: { tasks: 0, checklist: 0, body: 6 } });
    // another city: its own units become the directory, and 市政府各部门 expands to them
    expect(p.directory).toEqual({ units: 6, fromPlan: true });
    const items = byRef(p);
    expect(items.get('B1')).toMatchObject({ path: ['深化重点领域信息公开'], units: ['市财政局'], unassigned: ['各县区人民政府'], rule: { type: 'fixed', date: '2024-06-30' }, due: '2024-06-30' });
    expect(items.get('B1')!.text).toMatch(/^加强财政信息公开。.*专项检查。$/);
    expect(items.get('B4')).toMatchObject({ lead: '市委网信办', rule: { type: 'ongoing' } });
    expect(items.get('B4')!.units).toHaveLength(6);
    expect(items.get('B6')!.rule).toEqual({ type: 'recurring', every: 'year', interval: 1, month: 1, day: 31 });
    expect(p.unresolved).toEqual([]);
    expect(p.toAssign).toEqual([{ text: '各县区人民政府', refs: ['B1', 'B6'] }]);
  });

  it('a county 工作要点 saved as a web page, with (牵头单位：…；责任单位：…；完成时限：…) and no date', async () => {
    const bytes = fixture('county-keypoints.html');
    await expect(preview(bytes, 'keypoints.html')).rejects.toThrow(/--issued/);
    const p = await preview(bytes, 'keypoints.html', { issued: '2024-03-15' });
    expect(p).toMatchObject({ title: '2024年桓台县政务公开工作要点', year: 2024, issueDate: '2024-03-15', counts: { body: 6 }, directory: { units: 10, fromPlan: true } });
    const items = byRef(p);
    expect(items.get('B1')).toMatchObject({ lead: '县发展改革局', units: ['县发展改革局', '县工业和信息化局', '县商务局'], deadlineText: '长期坚持', rule: { type: 'ongoing' } });
    expect(items.get('B2')).toMatchObject({ lead: '县市场监管局', deadlineText: '实时', rule: { type: 'asap' } });
    expect(items.get('B3')!.rule).toEqual({ type: 'fixed', date: '2024-12-31' });
    expect(items.get('B4')).toMatchObject({ units: ['县政府办公室', '索镇', '起凤镇', '田庄镇'], rule: { type: 'ongoing' } });
    // 各镇人民政府: the towns the plan names
    expect(items.get('B5')!.units.slice(-3)).toEqual(['索镇', '起凤镇', '田庄镇']);
    expect(items.get('B6')).toMatchObject({ rule: { type: 'fixed', date: '2024-05-31' } });
  });

  it('a department 重点任务清单 (.xlsx): columns in another order, a merged task, 同上 and 按季度', async () => {
    const p = await preview(await departmentXlsx(), 'list.xlsx', { issued: '2024-02-20' });
    expect(p).toMatchObject({ title: '高青县信访局2024年政务公开重点任务清单', year: 2024, counts: { tasks: 5 }, directory: { units: 2, fromPlan: true } });
    const items = byRef(p);
    expect(items.get('T1')).toMatchObject({ path: ['强化行政规范性文件集中规范公开'], units: ['办公室'], rule: { type: 'fixed', date: '2024-12-31' } });
    expect(items.get('T2')).toMatchObject({ units: ['办公室', '信访督查科'], rule: { type: 'ongoing' } }); // 各科室
    expect(items.get('T3')!.rule).toEqual({ type: 'recurring', every: 'quarter', interval: 1 });
    expect(items.get('T4')).toMatchObject({ path: ['做好主动公开基础工作'], rule: { type: 'recurring', every: 'year', interval: 1, month: 1, day: 31 } });
    expect(items.get('T5')).toMatchObject({ text: '依法依规办理政府信息公开申请，做好行政复议答复工作。', deadlineText: '每年1月31日前' }); // 同上
  });

  it('a town 任务分工 in GBK without a deadline column: ongoing tasks, unknown units with close names', async () => {
    const p = await preview(encode(fixtureText('town-division.txt').replace(/\n/g, '\r\n'), 'gbk'), 'town.txt');
    expect(p).toMatchObject({ title: '南鲁山镇2024年政务公开工作任务分工', issueDate: '2024-03-05', counts: { tasks: 3 }, directory: { units: directory.units.length, fromPlan: false } });
    expect(p.items.map((i) => i.rule)).toEqual([{ type: 'ongoing' }, { type: 'ongoing' }, { type: 'ongoing' }]);
    const items = byRef(p);
    expect(items.get('T1')).toMatchObject({ text: '及时公开镇政府文件和政策解读材料，做到应公开尽公开。', units: ['县卫生健康局'] });
    expect(items.get('T2')!.path).toEqual(['主动公开']); // 同上
    expect(items.get('T3')!.units).toEqual(['南鲁山镇']);
    expect(p.unresolved).toEqual([
      { name: '镇党政办', refs: ['T1'], suggestions: [] },
      { name: '镇财政所', refs: ['T2'], suggestions: ['县财政局'] },
      { name: '县市场监督局', refs: ['T2'], suggestions: ['县市场监管局'] },
    ]);
    expect(p.toAssign).toEqual([{ text: '各村（社区）', refs: ['T3'] }]);
  });

  it('a street 标准目录 page with a two-row header, rowspans, 实时/20工作日/同上/N日内', async () => {
    const p = await preview(fixture('street-catalog.html'), 'catalog.html', { issued: '2024-01-02' });
    expect(p).toMatchObject({ title: '南麻街道基层政务公开标准目录（重大建设项目领域）', year: 2024, counts: { checklist: 5 }, directory: { fromPlan: false } });
    const items = byRef(p);
    expect(items.get('C1')).toMatchObject({ path: ['批准服务信息', '办事指南'], units: ['南麻街道'], rule: { type: 'asap' } });
    expect(items.get('C2')).toMatchObject({ path: ['批准服务信息', '批准结果信息'], rule: { type: 'after_event', workdays: 20, event: '信息形成或变更' } });
    expect(items.get('C3')).toMatchObject({ units: ['南麻街道'], deadlineText: '20工作日' }); // 同上, 同上
    expect(items.get('C4')).toMatchObject({ units: ['南麻街道', '县自然资源局'], rule: { type: 'after_event', workdays: 20, event: '信息形成或者变更' } });
    expect(items.get('C5')).toMatchObject({ unassigned: ['相关审批部门'], rule: { type: 'after_event', workdays: 10, calendarDays: true } });
    expect(p.unresolved).toEqual([]);
    // 10日内 counts calendar days, holidays included
    const c5 = items.get('C5')!.rule;
    if (c5.type !== 'after_event') throw new Error('C5 waits for an event');
    expect(eventOccurrence(c5, '2024-09-28', calendar)).toEqual({ key: '2024-09-28', due: '2024-10-08', estimated: false });
    expect(occurrences({ type: 'after_plan', workdays: 10, calendarDays: true }, { issueDate: '2024-09-28', year: 2024 }, calendar)[0]!.due).toBe('2024-10-08');
  });

  it('a sister 工作方案 from the same template in UTF-16: one annex (附件１：…), its own towns', async () => {
    const p = await preview(encode(fixtureText('sister-plan.txt'), 'utf-16le'), 'sister.txt');
    expect(p).toMatchObject({ title: '2024年沂水县政务公开工作方案', issueDate: '2024-07-01', counts: { tasks: 4, checklist: 0, body: 1 }, directory: { units: 6, fromPlan: true } });
    const items = byRef(p);
    expect(items.get('T2')).toMatchObject({ path: ['推进重点领域信息公开', '围绕稳经济强化公开'], deadlineText: '信息形成或变更之日起20个工作日内公开' });
    expect(items.get('T3')).toMatchObject({ path: ['推进重点领域信息公开', '围绕基层公开强化公开'], units: ['许家湖镇', '龙家圈街道'], rule: { type: 'fixed', date: '2024-12-31' } });
    expect(items.get('T4')).toMatchObject({ lead: '县大数据中心', units: ['县大数据中心', '许家湖镇', '龙家圈街道'] });
    expect(items.get('B1')).toMatchObject({ rule: { type: 'fixed', date: '2024-07-15' } });
    expect(items.get('B1')!.units).toHaveLength(6);
  });

  it('a city 工作要点 whose tasks end in （…牵头，…负责落实）', async () => {
    const p = await preview(Buffer.from(fixtureText('city-keypoints.txt')), 'keypoints.txt');
    expect(p).toMatchObject({ title: '北京市2018年政务公开工作要点', issueDate: '2018-05-11', counts: { body: 3 }, directory: { fromPlan: true } });
    const items = byRef(p);
    expect(items.get('B1')).toMatchObject({ lead: '市政府办公厅', unassigned: ['各区政府'], rule: { type: 'fixed', date: '2018-12-31' } });
    expect(items.get('B1')!.units).toEqual(['市政府办公厅', '市交通委', '市金融局', '市住房城乡建设委']); // 市政府各部门
    expect(items.get('B2')).toMatchObject({ text: '及时公开重大项目建设情况。', units: ['市交通委'], lead: null, rule: { type: 'ongoing' } });
    expect(items.get('B3')!.units).toEqual(['市金融局', '市住房城乡建设委']);
  });

  it('refuses what it cannot read in one sentence: garbage, .doc/.wps, PDF', async () => {
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 251));
    await expect(readPlanDocument(garbage, 'x.txt').then((d) => readPlan(d, directory))).rejects.toThrow(/^it is not a text, Word, Excel or web-page document$/);
    await expect(readPlanDocument(Buffer.from('今天开会，讨论明年的工作。\n'), 'notes.txt').then((d) => readPlan(d, directory))).rejects.toThrow(/no title line/);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    await expect(readPlanDocument(ole, 'plan.wps')).rejects.toThrow(/save it as \.docx/);
    await expect(readPlanDocument(Buffer.from('%PDF-1.7\n...'), 'plan.pdf')).rejects.toThrow(/save it as \.docx/);
  });
});

describe('liaison import --check and a failed import', () => {
  it('previews as JSON with the fields of items --json, writing nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'sister.txt');
    writeFileSync(file, encode(fixtureText('sister-plan.txt'), 'utf-16le'));
    const db = join(dir, 'ledger.db');
    const { io, out } = recordingIo();
    expect(await main(['import', '--check', '--json', '--plan', file, '--db', db], io)).toBe(0);
    const p = JSON.parse(out.join('\n'));
    expect(p.counts).toEqual({ tasks: 4, checklist: 0, body: 1 });
    for (const i of p.items) expect(Object.keys(i)).toEqual(['ref', 'kind', 'path', 'text', 'unitsText', 'units', 'lead', 'unassigned', 'deadlineText', 'rule', 'due']);
    expect(existsSync(db)).toBe(false);
  });

  it('needs --yes when units are unknown, and then says which', async () => {
    const dir = tempDir();
    const file = join(dir, 'town.txt');
    writeFileSync(file, encode(fixtureText('town-division.txt'), 'gbk'));
    const db = join(dir, 'ledger.db');
    const check = recordingIo();
    expect(await main(['import', '--check', '--plan', file, '--db', db], check.io)).toBe(0);
    expect(check.out[0]).toBe('南鲁山镇2024年政务公开工作任务分工 (2024, issued 2024-03-05): 3 tasks, 0 checklist items, 0 body tasks; 48 units in the unit directory.');
    expect(check.out).toContain('Unit "镇财政所" (T2) is not in the unit directory; closest: 县财政局.');
    expect(check.out).toContain('To be assigned by the coordinator: 各村（社区） (T3).');
    expect(check.out.at(-1)).toBe('(check only: nothing was written)');
    const refused = recordingIo();
    expect(await main(['import', '--plan', file, '--db', db], refused.io)).toBe(1);
    expect(refused.err.at(-1)).toMatch(/^3 unit names of the plan are not in the unit directory .* --yes/);
    expect(refused.err).toContain('Unit "县市场监督局" (T2) is not in the unit directory; closest: 县市场监管局.');
    expect(existsSync(db)).toBe(false);
    const done = recordingIo();
    expect(await main(['import', '--plan', file, '--db', db, '--yes'], done.io)).toBe(0);
    expect(done.out[0]).toMatch(/^Imported the 2024 plan \(issued 2024-03-05\): 3 tasks, 0 checklist items, 0 body tasks/);
  });

  it('a failed import leaves the ledger as it was, and creates none', async () => {
    const dir = tempDir();
    const garbage = join(dir, 'plan.docx');
    writeFileSync(garbage, Buffer.from('PK\u0003\u0004 not really a zip file at all'));
    const fresh = join(dir, 'fresh.db');
    const failed = recordingIo();
    expect(await main(['import', '--plan', garbage, '--db', fresh], failed.io)).toBe(1);
    expect(failed.err).toEqual([`${garbage} is not a plan this tool can read: it looks like a .docx or .xlsx file but is damaged.`]);
    expect(existsSync(fresh)).toBe(false);

    const db = join(dir, 'ledger.db');
    await main(['import', '--db', db], recordingIo().io);
    const before = readFileSync(db);
    expect(await main(['import', '--plan', join(dir, 'missing.docx'), '--db', db], recordingIo().io)).toBe(1);
    expect(await main(['import', '--plan', garbage, '--db', db], recordingIo().io)).toBe(1);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});
