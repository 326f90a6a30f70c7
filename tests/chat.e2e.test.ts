import { afterEach, describe, expect, it } from 'vitest';
import { reports, liaisons } from '../db/schema.js';
import { ledgerRows } from '../db/status.js';
import { currentPlan } from '../db/queries.js';
import { COORDINATOR, ROOM, startBot } from './bot-harness.js';

type Env = Awaited<ReturnType<typeof startBot>>;
let env: Env;
afterEach(async () => {
  await env?.stop();
});

/** Binds each liaison to a unit through the chat, approved by the coordinator. */
async function bind(e: Env, pairs: [string, string][]) {
  for (const [name, unit] of pairs) {
    await e.say(name, `绑定 ${unit}`);
    const r = await e.texts(COORDINATOR, `批准 ${name}`);
    expect(r).toEqual([`@${COORDINATOR} 已批准：${name} 为${unit}联络员。`]);
  }
}

const counts = (e: Env) => ({
  reports: e.db.select().from(reports).all().length,
  liaisons: e.db.select().from(liaisons).all().length,
});
const row = (e: Env, ref: string, unit: string) =>
  ledgerRows(e.db, currentPlan(e.db)!.id).filter((r) => r.ref === ref && r.unit === unit);

describe('the bot in a group (wechaty-puppet-mock)', () => {
  it('binds a liaison once the coordinator approves; a rejected request binds nothing', async () => {
    env = await startBot();
    const r = await env.texts('王芳', '绑定 县民政局');
    expect(r[0]).toBe('@王芳 已提交申请：绑定 县民政局，等待协调员批准。');
    expect(r[1]).toMatch(/^@张主任 「王芳」申请成为县民政局联络员。回复「批准 (\d+)」或「驳回 \1」。$/);
    // before approval the liaison cannot report
    expect(await env.texts('王芳', '完成 T12')).toEqual(['@王芳 您还没有绑定单位。请先发送「绑定 单位名称」，协调员批准后即可使用。']);
    expect(await env.texts('王芳', '绑定 县民政局')).toEqual(['@王芳 您绑定 县民政局 的申请已在等待协调员批准。']);
    expect(await env.texts(COORDINATOR, '批准')).toEqual([expect.stringMatching(/^@张主任 待批准的绑定申请：\n\d+\. 王芳 — 县民政局/)]);
    expect(await env.texts(COORDINATOR, '批准 王芳')).toEqual(['@张主任 已批准：王芳 为县民政局联络员。']);
    expect((await env.texts('王芳', '我的任务'))[0]).toMatch(/^@王芳 县民政局 待办（2023-08-21）：\n/);

    await env.say('李明', '/bind 县财政局');
    expect(await env.texts(COORDINATOR, '驳回 李明')).toEqual(['@张主任 已驳回：李明 绑定县财政局的申请。']);
    expect(await env.texts('李明', '我的任务')).toEqual(['@李明 您还没有绑定单位。请先发送「绑定 单位名称」，协调员批准后即可使用。']);
    // only coordinators approve
    await env.say('赵强', '绑定 县商务局');
    expect(await env.texts('王芳', '批准 赵强')).toEqual(['@王芳 只有协调员可以使用这个命令。']);
  });

  it('reads 四季度 written in January as the plan year\'s fourth quarter', async () => {
    env = await startBot('2024-01-10T02:00:00Z');
    await bind(env, [['王芳', '县民政局']]);
    const [reply] = await env.texts('王芳', '自查完成 四季度');
    expect(reply).toMatch(/^@王芳 已记录：县民政局 2023-Q4 季度自查完成，共 \d+ 项。$/);
  });

  it('records a completion with and without a link; a second 完成 is history', async () => {
    env = await startBot('2023-08-30T02:00:00Z');
    await bind(env, [['王芳', '县民政局']]);
    const first = await env.texts('王芳', '完成 T17 https://www.yiyuan.gov.cn/art/2023/8/30/a.html');
    expect(first).toEqual(['@王芳 已记录：县民政局 T17 完成（按期）。公开链接已存入台账：https://www.yiyuan.gov.cn/art/2023/8/30/a.html']);
    expect(row(env, 'T17', '县民政局')[0]).toMatchObject({
      doneAt: expect.stringMatching(/^2023-08-30T02:0/), // the clock moves only with the outbox's pacing
      doneBy: '王芳',
      evidence: 'https://www.yiyuan.gov.cn/art/2023/8/30/a.html',
    });
    const firstDoneAt = row(env, 'T17', '县民政局')[0]!.doneAt;
    const again = await env.texts('王芳', '完成 T17 https://www.yiyuan.gov.cn/b.html');
    expect(again).toEqual(['@王芳 县民政局 T17 已于2023-08-30记为完成，本次报告已记入历史。']);
    expect(row(env, 'T17', '县民政局')[0]!.doneAt).toBe(firstDoneAt);
    expect(counts(env).reports).toBe(2);

    // no link: recorded, and the reply says how to add one
    env.clock.set(new Date('2023-11-02T02:00:00Z'));
    const late = await env.texts('王芳', '完成 T16');
    expect(late).toEqual(['@王芳 已记录：县民政局 T16 完成（逾期2个工作日）。未附公开链接，可补发：完成 T16 链接']);
    expect(row(env, 'T16', '县民政局')[0]).toMatchObject({ evidence: null, doneBy: '王芳' });
    // the link sent afterwards reaches the ledger, the completion time stays
    await env.say('王芳', '完成 T16 https://www.yiyuan.gov.cn/c.html');
    expect(row(env, 'T16', '县民政局')[0]).toMatchObject({ evidence: 'https://www.yiyuan.gov.cn/c.html', doneAt: expect.stringMatching(/^2023-11-02T02:00:00/) });
  });

  it('refuses a report for another unit, and writes nothing', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局'], ['刘洋', '县财政局']]);
    const before = counts(env);
    expect(await env.texts('王芳', '完成 T5 https://x.gov.cn/a')).toEqual(['@王芳 T5 不是您所在单位的任务。发送「我的任务」查看本单位待办。']);
    expect(await env.texts('王芳', '完成 T5 县财政局 https://x.gov.cn/a')).toEqual(['@王芳 您不是县财政局的联络员，不能代其报告。']);
    expect(await env.texts('王芳', '/status 县财政局')).toEqual(['@王芳 您只能查看本单位的台账。']);
    expect(counts(env)).toEqual(before);
    expect(row(env, 'T5', '县财政局')[0]!.doneReportId).toBeNull();
  });

  it('goes by contact, not display name: a member who takes a liaison\'s name is refused while the liaison is still heard', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局']]);
    await env.say('王芳', '完成 T12 https://x.gov.cn/t12');
    // someone else takes the name 王芳; the real one renames
    env.chat.member('李明');
    await env.say('李明', '大家好');
    env.chat.rename('王芳', '王芳（民政）');
    env.chat.rename('李明', '王芳');
    await env.say('王芳（民政）', '收到');
    const before = counts(env);
    const r = await env.texts('王芳', '完成 T17 https://x.gov.cn/fake');
    expect(r[0]).toBe('@王芳 「王芳」是已绑定的联络员，其原账号近30天内仍在发言，不能由其他账号代替。本条消息未登记。如您确是本人并更换了账号，请联系协调员；如只是同名，请把群昵称改为可区分的名字（如加上单位）后再发送。');
    // the coordinators see both contacts: where and when each last spoke
    expect(r[1]).toBe(
      [
        '@张主任 注意：另一账号以「王芳」（县民政局联络员）的名字发言，已拒绝，未登记、未提交绑定申请。',
        '· 新账号：最近发言 2023-08-21 10:00（本群）',
        '· 原账号（2023-08-21绑定，现名「王芳（民政）」）：最近发言 2023-08-21 10:00（本群）',
        '（是否在群内依据机器人听到的发言判断；本渠道不能列出群成员。）',
        '原账号近30天内仍有发言，视为仍在群内。如确为本人更换了账号，可先发送「解绑 王芳」，再请其重新绑定。',
      ].join('\n'),
    );
    expect(r).toHaveLength(2);
    // asking to bind the unit is refused the same way; nothing is filed
    expect((await env.texts('王芳', '绑定 县民政局'))[0]).toMatch(/^@王芳 「王芳」是已绑定的联络员/);
    expect(counts(env)).toEqual(before);
    expect(await env.texts(COORDINATOR, '批准 王芳')).toEqual(['@张主任 没有找到「王芳」的待批准申请。发送「批准」查看全部申请。']);
    expect(row(env, 'T17', '县民政局')[0]!.doneReportId).toBeNull();
    // the real liaison, renamed, is still bound and still acts for the unit
    expect(await env.texts('王芳（民政）', '完成 T17')).toEqual([expect.stringMatching(/^@王芳（民政） 已记录：县民政局 T17 完成/)]);
    expect(row(env, 'T17', '县民政局')[0]!.doneBy).toBe('王芳（民政）');
    expect(env.db.select().from(liaisons).all().map((l) => [l.name, l.status])).toEqual([['王芳', 'approved']]);
  });

  it('files a same-name request once the liaison has been silent 30 days, and approves it only by number', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局']]);
    env.chat.member('李明');
    await env.say('李明', '大家好');
    env.chat.rename('王芳', '王芳（民政）');
    env.chat.rename('李明', '王芳');
    env.clock.set(new Date('2023-09-21T02:00:00Z')); // 31 days after the liaison last spoke
    const r = await env.texts('王芳', '完成 T17 https://x.gov.cn/fake');
    expect(r[0]).toMatch(/^@王芳 您的微信身份已变化/);
    const id = /^(\d+)\. 王芳 — 县民政局$/m.exec(r[1]!)![1];
    expect(r[1]).toContain('· 原账号（2023-08-21绑定）：最近发言 2023-08-21 10:00（本群）');
    expect(r[1]).toContain('同名申请只能按编号批准');
    expect(row(env, 'T17', '县民政局')[0]!.doneReportId).toBeNull();
    // the name stands for two contacts: not by name, not all at once
    const byName = await env.texts(COORDINATOR, '批准 王芳');
    expect(byName).toEqual([`@张主任 「王芳」对应不止一个账号（已绑定的联络员与申请人同名），不能按姓名批准。请核实后用编号：\n${id}. 王芳 — 县民政局`]);
    expect((await env.texts(COORDINATOR, '全部批准'))[0]).toMatch(/不能按姓名批准/);
    expect(env.db.select().from(liaisons).all().map((l) => l.status)).toEqual(['approved', 'pending']);
    // the coordinator rejects it by number: the real liaison stays bound
    expect(await env.texts(COORDINATOR, `驳回 ${id}`)).toEqual(['@张主任 已驳回：王芳 绑定县民政局的申请。']);
    expect(await env.texts('王芳（民政）', '完成 T17')).toEqual([expect.stringMatching(/^@王芳（民政） 已记录：县民政局 T17 完成/)]);
  });

  it('starts an after-event clock and states its due date', async () => {
    env = await startBot('2023-09-21T02:00:00Z');
    await bind(env, [['王芳', '县民政局']]);
    expect(await env.texts('王芳', '信息形成 T12 2023-09-20')).toEqual([
      '@王芳 已登记：县民政局 T12 信息形成或变更于2023-09-20，须在20个工作日内公开，截止 2023-10-24。',
    ]);
    expect(row(env, 'T12', '县民政局').map((r) => [r.occurrence, r.due])).toEqual([
      ['2023-09-20', '2023-10-24'],
      ['', null],
    ]);
    expect(await env.texts('王芳', '信息形成 T12 2023-09-25')).toEqual(['@王芳 2023-09-25 还没到，请填写信息实际形成或变更的日期。']);
    expect(await env.texts('王芳', '信息形成 T17 2023-09-20')).toEqual(['@王芳 T17 不是按「信息形成或变更之日起」计时的任务，不需要登记日期。']);
  });

  it('shows the coordinator the county, a unit and a task; a liaison sees their own unit', async () => {
    env = await startBot('2023-09-05T02:00:00Z');
    await bind(env, [['王芳', '县民政局'], ['刘洋', '县财政局']]);
    await env.say('王芳', '完成 T17 https://x.gov.cn/t17');
    env.clock.set(new Date('2023-09-08T02:00:00Z'));
    // the county fits one screen: totals, the ten worst units, how to see the rest
    const short = (await env.texts(COORDINATOR, '/status'))[0]!.split('\n');
    expect(short.length).toBeLessThanOrEqual(15);
    expect(short.at(-2)).toMatch(/^……另有 \d+ 个单位，发送「\/status 全部」查看全部/);
    const county = (await env.texts(COORDINATOR, '/status 全部'))[0]!;
    const lines = county.split('\n');
    expect(lines.slice(1, 11)).toEqual(short.slice(1, 11));
    const header = /^@张主任 全县台账（2023-09-08）：(\d+)个单位，逾期 (\d+) 项，已完成 1\/\d+ 项。$/.exec(lines[0]!)!;
    const unitLines = lines.slice(1, -1).map((l) => /^(\S+)：逾期(\d+) · 完成(\d+)\/(\d+) · 按期(\d+)$/.exec(l)!);
    expect(unitLines).toHaveLength(Number(header[1]));
    expect(unitLines.reduce((n, m) => n + Number(m[2]), 0)).toBe(Number(header[2]));
    // worst first: overdue counts never rise down the list
    const overdue = unitLines.map((m) => Number(m[2]));
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));
    const civil = unitLines.find((m) => m[1] === '县民政局')!;
    const finance = unitLines.find((m) => m[1] === '县财政局')!;
    expect(Number(civil[2])).toBe(Number(finance[2]) - 1); // T17 is done on time by 县民政局 only
    expect([civil[3], civil[5]]).toEqual(['1', '1']);
    expect(lines.at(-1)).toMatch(/^待分配单位：T6、T9、T25、T26、T32、T40/);

    const unit = (await env.texts(COORDINATOR, '/status 县财政局'))[0]!;
    expect(unit).toMatch(/^@张主任 县财政局 台账（2023-09-08）：逾期 \d+ · 待办 \d+ · 已完成 0\n逾期：\n/);
    expect(unit).toMatch(/\nT17 加强主动公开基本目录动态管理，根据重点…，截止 2023-09-06（已逾期2个工作日）/);
    const task = (await env.texts(COORDINATOR, '/status T17'))[0]!;
    expect(task).toContain('县民政局：已完成 2023-09-05 https://x.gov.cn/t17');
    expect(task).toContain('县财政局：逾期（截止 2023-09-06）');

    const own = (await env.texts('刘洋', '/status'))[0]!;
    expect(own).toMatch(/^@刘洋 县财政局 台账（2023-09-08）：逾期 \d+/);
    expect(own).not.toContain('县民政局');
    const ownTask = (await env.texts('刘洋', '/status T17'))[0]!;
    expect(ownTask).toContain('县财政局：逾期');
    expect(ownTask).not.toContain('县民政局');
  });

  it('understands what people really type', async () => {
    env = await startBot('2023-09-01T02:00:00Z');
    await bind(env, [['王芳', '县民政局']]);
    expect(await env.texts('王芳', '完成　Ｔ１７　ｈｔｔｐｓ://x.gov.cn/a')).toEqual(['@王芳 已记录：县民政局 T17 完成（按期）。公开链接已存入台账：https://x.gov.cn/a']);
    expect(await env.texts('王芳', '进展  t12   已起草，待审核')).toEqual(['@王芳 已记录 县民政局 T12 的进展。']);
    expect(await env.texts('王芳', '进展 任务12 送审')).toEqual(['@王芳 已记录 县民政局 T12 的进展。']);
    expect(await env.texts('王芳', '进展 第14项 已完成初稿')).toEqual(['@王芳 已记录 县民政局 T14 的进展。']);
    expect(await env.texts('王芳', '信息形成 T12 2023年8月28日')).toEqual([expect.stringMatching(/截止 2023-09-25。$/)]);
    expect((await env.texts('王芳', '/TASKS'))[0]).toMatch(/县民政局 待办/);
  });

  it('answers a malformed command once with the right form, writes nothing, and ignores chatter', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局']]);
    const before = counts(env);
    expect(await env.texts('王芳', '完成')).toEqual(['@王芳 请写明任务编号。\n格式：完成 T5 [单位] [公开链接]（如：完成 T5 https://…）']);
    expect(await env.texts('王芳', '完成 T99')).toEqual(['@王芳 没有找到任务 T99。']);
    expect(await env.texts('王芳', '完成 T12 javascript:alert(1)')).toEqual([
      '@王芳 「javascript:alert(1)」不是网页链接（须为 http:// 或 https://），未存入台账。\n格式：完成 T5 [单位] [公开链接]（如：完成 T5 https://…）',
    ]);
    expect(await env.texts('王芳', `完成 T12 https://x.gov.cn/${'a'.repeat(2000)}`)).toEqual([
      '@王芳 链接超过2000个字符，无法存入台账，请发送较短的公开链接。\n格式：完成 T5 [单位] [公开链接]（如：完成 T5 https://…）',
    ]);
    expect(await env.texts('王芳', '信息形成 T12 2023-02-30')).toEqual(['@王芳 「2023-02-30」不是有效日期。\n格式：信息形成 T12 [单位] 2023-09-20']);
    expect(await env.texts('王芳', '绑定 县宇宙局')).toEqual(['@王芳 没有找到单位「县宇宙局」。\n格式：绑定 单位名称（如：绑定 县商务局）']);
    expect(await env.texts('王芳', '/frobnicate')).toEqual(['@王芳 不认识的命令「/frobnicate」。\n发送「帮助」查看可用命令。']);
    expect(counts(env)).toEqual(before);
    for (const chatter of ['大家好', '完成了吗？', '收到', '明天开会讨论台账', '@王芳 好的']) {
      expect(await env.texts('王芳', chatter)).toEqual([]);
    }
  });

  it('works in a private chat and stays silent in a group it does not serve', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局']]);
    const replies = await env.say('王芳', '我的任务', null);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ room: null, to: '王芳' });
    expect(replies[0]!.text).toMatch(/^县民政局 待办/);
    expect(await env.texts('王芳', '你好', null)).toEqual(['发送「帮助」查看可用命令。']);
    expect(await env.texts('王芳', '我的任务', '家庭群')).toEqual([]);
    expect(await env.texts('王芳', '帮助', ROOM)).toEqual([expect.stringContaining('联络员可用命令')]);
  });

  it('lets the coordinator assign unnamed units and set the date of an 及时公开 task', async () => {
    env = await startBot();
    expect(await env.texts(COORDINATOR, '分配 T25 县发展改革局、县财政局')).toEqual(['@张主任 已将 T25 分配给：县发展改革局、县财政局。']);
    expect(row(env, 'T25', '县发展改革局').map((r) => r.occurrence)).toEqual(['2023-Q3', '2023-Q4']);
    expect(ledgerRows(env.db, currentPlan(env.db)!.id).filter((r) => r.ref === 'T25' && r.unit === null)).toEqual([]);
    expect(await env.texts(COORDINATOR, '分配 T5 县民政局')).toEqual(['@张主任 T5 的责任单位在方案中已明确，不需要分配。']);
    await env.texts(COORDINATOR, '分配 T6 县财政局');
    expect(await env.texts(COORDINATOR, '期限 T6 2024-03-31')).toEqual(['@张主任 已设定 T6 的期限为 2024-03-31。']);
    expect(row(env, 'T6', '县财政局')[0]!.due).toBe('2024-03-31');
    expect(await env.texts(COORDINATOR, '期限 T5 2024-03-31')).toEqual(['@张主任 T5 的期限由方案确定（2023年年底前完成），只有「及时公开」任务可以设定期限。']);
    expect(await env.texts('王芳', '分配 T25 县民政局')).toEqual(['@王芳 只有协调员可以使用这个命令。']);
  });
});

describe('after a re-login that changed contact ids', () => {
  it('asks the coordinator (by number) before the same name acts for the unit again, and retires the old binding', async () => {
    env = await startBot('2023-09-01T02:00:00Z');
    await bind(env, [['王芳', '县民政局']]);
    // the web protocol gave everyone a new id: the old contact is gone, a new one has the name
    env.chat.rename('王芳', '王芳（旧）');
    env.clock.set(new Date('2023-10-09T02:00:00Z')); // the old contact silent for more than 30 days
    const r = await env.texts('王芳', '完成 T17');
    expect(r[0]).toMatch(/^@王芳 您的微信身份已变化/);
    expect(r[1]).toContain('原账号已30天以上未发言，可能是重新登录。');
    const id = /^(\d+)\. 王芳 — 县民政局$/m.exec(r[1]!)![1];
    expect(row(env, 'T17', '县民政局')[0]!.doneReportId).toBeNull();
    // asking again does not file a second request
    expect(await env.texts('王芳', '完成 T17')).toHaveLength(1);
    expect((await env.texts(COORDINATOR, '批准 王芳'))[0]).toMatch(/不能按姓名批准/);
    expect(await env.texts(COORDINATOR, `批准 ${id}`)).toEqual(['@张主任 已批准：王芳 为县民政局联络员。']);
    expect((await env.texts('王芳', '完成 T17'))[0]).toMatch(/^@王芳 已记录：县民政局 T17 完成（逾期/);
    const bindings = env.db.select().from(liaisons).all().map((l) => l.status);
    expect(bindings).toEqual(['revoked', 'approved']);
  });
});

describe('asking for reminders', () => {
  it('提醒我 gives today\'s reminders now, and the round does not repeat them; /remind runs the round', async () => {
    env = await startBot('2023-08-11T00:30:00Z'); // 08:30 in Shanghai, before the 09:00 round
    await bind(env, [['王芳', '县民政局'], ['刘洋', '县财政局']]);
    const mine = await env.texts('王芳', '提醒我');
    expect(mine).toEqual([expect.stringMatching(/^@王芳 【政务公开提醒】2023-08-11 周五\n县民政局：\n截止 2023-08-16（还有3个工作日）：\n· B1 .*\n完成后请回复/)]);
    expect(await env.texts('刘洋', '/remind')).toEqual(['@刘洋 只有协调员可以使用这个命令。']);
    const round = await env.texts(COORDINATOR, '/remind');
    // it says what it sends and to whom: 刘洋's items (王芳 had hers through 提醒我), and the units without a liaison
    expect(round[0]).toMatch(/^@张主任 好的，现在发送本轮提醒：1位联络员（刘洋），共\d+项；.*尚无联络员。$/);
    const digest = round.find((t) => t.startsWith('【政务公开提醒】'))!;
    expect(digest).toContain('@刘洋 县财政局：');
    expect(digest).not.toContain('@王芳');
    // the round again: every key is sent already
    const again = await env.texts(COORDINATOR, '/remind');
    expect(again[0]).toMatch(/^@张主任 好的，现在发送本轮提醒：没有新的联络员提醒；.*尚无联络员。$/);
    expect(again.filter((t) => t.startsWith('【政务公开提醒】'))).toEqual([]);
    // nothing new today: what is open, overdue first
    expect(await env.texts('王芳', '提醒我')).toEqual([expect.stringMatching(/^@王芳 今天没有新的提醒。\n县民政局 待办（2023-08-11）：\n[\s\S]*B1 .*（还有3个工作日）/)]);
  });
});

describe('where a command is said', () => {
  const COMMANDS = ['帮助', '绑定 县商务局', '批准 赵强', '我的任务', '完成 T17', '进展 T12 起草中', '信息形成 T12 2023-08-20', '/status', '分配 T25 县民政局', '期限 T6 2024-03-31', '提醒我', '/remind', '/report 2023Q3'];

  it('is ignored in a group the bot does not serve, whoever says it, and nothing is written', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局']]);
    const before = counts(env);
    for (const command of COMMANDS) {
      expect(await env.texts('王芳', command, '家庭群')).toEqual([]);
      expect(await env.texts(COORDINATOR, command, '家庭群')).toEqual([]);
    }
    expect(counts(env)).toEqual(before);
  });

  it('works the same in a private chat as in the group', async () => {
    env = await startBot();
    await bind(env, [['王芳', '县民政局']]);
    for (const command of COMMANDS) {
      const privately = await env.texts('王芳', command, null);
      expect(privately.length, command).toBeGreaterThan(0);
      // a minute between commands: people type, and the bot answers one sender 10 times a minute
      env.clock.set(new Date(env.clock.now().getTime() + 60_000));
      expect(privately.some((t) => t.startsWith('@王芳')), command).toBe(false);
    }
    expect(row(env, 'T17', '县民政局')[0]!.doneBy).toBe('王芳');
  });
});
