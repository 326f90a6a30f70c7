import { readdirSync, readFileSync, statSync } from 'node:fs';
import { FileBox } from 'file-box';
import { afterEach, describe, expect, it } from 'vitest';
import { pendingImport } from '../db/pending-imports.js';
import { currentPlan } from '../db/queries.js';
import { textDocument } from '../seeds/document.js';
import { COORDINATOR, startBot } from './bot-harness.js';
import { planText } from './helpers.js';
import { toDocx } from './plan-files.js';

const fixtureText = (name: string) => readFileSync(new URL(`./fixtures/plans/${name}`, import.meta.url), 'utf8');
// base64: the mock keeps what it carries as JSON
const file = (bytes: Buffer, name: string) => FileBox.fromBase64(bytes.toString('base64'), name);
const docx = async (text: string, name: string) => file(await toDocx(textDocument(text)), name);
/** The shipped plan as next year's, with one unit misspelt. */
const nextYear = () => docx(planText.replaceAll('2023', '2024').replaceAll('县商务局', '县商物局'), '2024方案.docx');

let env: Awaited<ReturnType<typeof startBot>>;
afterEach(async () => env?.stop());

const pending = (contactName: string) => pendingImport(env.db, 'wechaty', env.chat.member(contactName).id);

describe('a plan file sent in chat', () => {
  it("the coordinator's .docx is previewed; 确认导入 makes it the ledger's plan", async () => {
    env = await startBot();
    const [preview, ...rest] = await env.texts(COORDINATOR, await docx(fixtureText('sister-plan.txt'), '沂水县方案.docx'), null);
    expect(rest).toEqual([]);
    expect(preview).toContain('已读取「沂水县方案.docx」：2024年沂水县政务公开工作方案（2024年，印发日期 2024-07-01）');
    expect(preview).toContain('重点任务4项、清单事项0项、正文任务1项');
    expect(preview).toContain('确认导入');
    expect(currentPlan(env.db)!.year).toBe(2023);
    expect(pending(COORDINATOR)?.fileName).toBe('沂水县方案.docx');

    const [imported] = await env.texts(COORDINATOR, '确认导入', null);
    expect(imported).toMatch(/^已导入「沂水县方案\.docx」（2024年，印发日期 2024-07-01）：重点任务4项、清单事项0项、正文任务1项，单位6个；台账新增\d+条/);
    expect(currentPlan(env.db)).toMatchObject({ year: 2024, title: '2024年沂水县政务公开工作方案' });
    expect(pending(COORDINATOR)).toBeUndefined();
    expect(await env.texts(COORDINATOR, '确认导入', null)).toEqual(['没有待确认的导入：请先把工作要点文件发给机器人。']);
  });

  it('units not in the directory are named with suggestions; the import goes ahead and says they are to assign', async () => {
    env = await startBot();
    const [preview] = await env.texts(COORDINATOR, await nextYear());
    expect(preview).toContain('单位名录中找不到1个单位，导入后这些任务为「待分配」：\n· 县商物局（相近：县商务局）');
    // a few lines, never every item
    expect(preview!.split('\n').length).toBeLessThan(10);
    const [imported] = await env.texts(COORDINATOR, '确认导入');
    expect(imported).toContain('1个单位不在名录中，相关任务显示为「待分配」');
    expect(currentPlan(env.db)!.year).toBe(2024);
  });

  it('取消导入 drops the pending plan; the ledger stays', async () => {
    env = await startBot();
    await env.texts(COORDINATOR, await nextYear(), null);
    expect(await env.texts(COORDINATOR, '取消导入', null)).toEqual(['已取消导入「2024方案.docx」，台账未改动。']);
    expect(pending(COORDINATOR)).toBeUndefined();
    expect(currentPlan(env.db)!.year).toBe(2023);
  });

  it("a liaison's file is ignored in the group and refused privately; nothing is kept", async () => {
    env = await startBot();
    env.chat.member('王芳');
    expect(await env.texts('王芳', await nextYear())).toEqual([]);
    expect(await env.texts('王芳', await nextYear(), null)).toEqual(['只有协调员可以发送工作要点文件导入台账。']);
    expect(pending('王芳')).toBeUndefined();
    expect(await env.texts('王芳', '确认导入', null)).toEqual(['只有协调员可以使用这个命令。']);
    expect(currentPlan(env.db)!.year).toBe(2023);
  });

  it('a file that is no plan gets one sentence, and nothing is pending', async () => {
    env = await startBot();
    for (const f of [file(Buffer.from('\u0000\u0001garbage'), 'notes.txt'), file(Buffer.from('%PDF-1.7 ...'), '方案.pdf')]) {
      const [answer, ...rest] = await env.texts(COORDINATOR, f, null);
      expect(rest).toEqual([]);
      expect(answer).toMatch(/^「(notes\.txt|方案\.pdf)」读不出工作要点：请发送 Word（\.docx）/);
      expect(answer).not.toContain('/'); // no server path
      expect(pending(COORDINATOR)).toBeUndefined();
    }
  });

  it('the pending plan is in the ledger, not in the process: the file received is gone once read', async () => {
    env = await startBot();
    await env.texts(COORDINATOR, await nextYear(), null);
    expect(pending(COORDINATOR)!.read.plan.year).toBe(2024);
    const dir = (env.channel as unknown as { options: { filesDir: string } }).options.filesDir;
    expect(readdirSync(dir)).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
