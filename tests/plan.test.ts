import { describe, expect, it } from 'vitest';
import { parsePlan, PlanFormatError } from '../seeds/parse-plan.js';
import { item, plan, planText, resolver } from './helpers.js';

const refs = (kind: string) => plan.items.filter((i) => i.kind === kind).map((i) => i.ref);
const everyone = resolver.everyone();

describe('the 2023 plan document', () => {
  it('reads the year and issue date from the document', () => {
    expect(plan.title).toBe('2023年沂源县政务公开工作方案');
    expect(plan.year).toBe(2023);
    expect(plan.issueDate).toBe('2023-08-09');
  });

  it('has 48 tasks in 附件1, 200 checklist items in 附件2 and the 工作台账 body task', () => {
    expect(refs('task')).toEqual(Array.from({ length: 48 }, (_, i) => `T${i + 1}`));
    expect(refs('checklist')).toEqual(Array.from({ length: 200 }, (_, i) => `C${i + 1}`));
    expect(refs('body')).toEqual(['B1']);
    const ledger = item('B1');
    expect(ledger.text).toContain('工作台账');
    expect(ledger.rule).toEqual({ type: 'fixed', date: '2023-08-16' });
    expect(ledger.assignment.units).toEqual(everyone);
  });

  it('names every unit it mentions from the directory, with no warnings', () => {
    expect(plan.warnings).toEqual([]);
  });

  it('merged cells inherit the row above: units of T37 and T38, the deadline of T2, the category of T2', () => {
    const t36 = item('T36').assignment.units;
    expect(t36).toEqual(['县教育和体育局', '县卫生健康局', '县住房城乡建设局', '县交通运输局', '县供电公司', '县自来水公司']);
    expect(item('T37').assignment.units).toEqual(t36);
    expect(item('T38').assignment.units).toEqual(t36);
    expect(item('T37').deadlineText).toBe('2023年年底前完成');
    expect(item('T38').deadlineText).toBe('长期坚持');
    expect(item('T2').deadlineText).toBe('信息形成或变更之日起20个工作日内公开');
    expect(item('T2').path).toEqual(['推进绿色低碳高质量发展信息公开', '围绕促进经济发展量质齐升强化公开']);
  });

  it('joins wrapped cells', () => {
    expect(item('T41').path[1]).toBe('夯实政府网站和政务新媒体管理水平');
    expect(item('C126').path[0]).toBe('依申请公开');
    expect(item('C37').path[0]).toBe('主动公开'); // a cell that begins on its second line
  });

  it('records the lead of T32 and keeps its unnamed cooperating units visible', () => {
    const a = item('T32').assignment;
    expect(a.lead).toBe('县司法局');
    expect(a.units).toEqual(['县司法局']);
    expect(a.unassigned).toEqual(['县政府重大行政决策承办单位', '县政府行政规范性文件实施部门和部门行政规范性文件起草部门']);
  });

  it('maps every distinct deadline text of 附件1 to its rule', () => {
    const distinct = new Map(plan.items.filter((i) => i.kind === 'task').map((i) => [i.deadlineText, i.rule]));
    expect(Object.fromEntries(distinct)).toEqual({
      信息形成或变更之日起20个工作日内公开: { type: 'after_event', workdays: 20, event: '信息形成或变更' },
      '2023年年底前完成': { type: 'fixed', date: '2023-12-31' },
      及时公开: { type: 'asap' },
      '2023年10月底前对今年以来所发布政府信息全面规范': { type: 'fixed', date: '2023-10-31' },
      本方案发布之日起20个工作日内及时动态更新本单位主动公开基本目录: { type: 'after_plan', workdays: 20 },
      '2023年10月底前对2016以来所发布政府文件全面规范': { type: 'fixed', date: '2023-10-31' },
      长期坚持: { type: 'ongoing' },
      决策文件出台后的10个工作日内: { type: 'after_event', workdays: 10, event: '决策文件出台' },
    });
  });

  it('finds the recurring, after-event and dated items of 附件2; the rest are ongoing', () => {
    const notOngoing = plan.items
      .filter((i) => i.kind === 'checklist' && i.rule.type !== 'ongoing')
      .map((i) => [i.ref, i.deadlineText, i.rule]);
    expect(notOngoing).toEqual([
      ['C4', '至少每隔2年', { type: 'recurring', every: 'year', interval: 2 }],
      ['C30', '按月', { type: 'recurring', every: 'month', interval: 1 }],
      ['C32', '按季度', { type: 'recurring', every: 'quarter', interval: 1 }],
      ['C43', '每年1月31日前', { type: 'recurring', every: 'year', interval: 1, month: 1, day: 31 }],
      ['C108', '按月', { type: 'recurring', every: 'month', interval: 1 }],
      ['C121', '按月', { type: 'recurring', every: 'month', interval: 1 }],
      ['C122', '按季度', { type: 'recurring', every: 'quarter', interval: 1 }],
      ['C123', '按季度', { type: 'recurring', every: 'quarter', interval: 1 }],
      ['C124', '按季度', { type: 'recurring', every: 'quarter', interval: 1 }],
      ['C139', '在政策文件公开后3个工作日内', { type: 'after_event', workdays: 3, event: '政策文件公开' }],
      ['C177', '至少2周内更新一次', { type: 'recurring', every: 'week', interval: 2 }],
      ['C192', '2023年1月31日前', { type: 'fixed', date: '2023-01-31' }],
    ]);
  });

  it('handles the irregular rows of 附件2', () => {
    // the 政策解读 section has no 四级 column
    expect(item('C134').path).toEqual(['政策解读', '解读发布平台', '栏目建设', '']);
    expect(item('C134').text).toBe('在政府网站设置政策解读专门栏目并及时更新。');
    expect(item('C134').assignment.units).toEqual(['县政府办公室']);
    // a 四级 cell given again in a deeper row does not leak into the next section
    expect(item('C159').path).toEqual(['公众参与', '政务舆情回应', '回应与否', '']);
    // the row broken across a blank line is one item
    expect(item('C187').path).toEqual(['监督保障', '机制建设', '业务培训', '培训计划']);
    expect(item('C187').text).toBe('发布政务公开业务培训计划。');
    expect(item('C188').path[3]).toBe('开展情况');
    // the row with no requirement is skipped; the next item keeps its 四级
    expect(item('C178').text).toBe('微信公众号开通视频频道的，要及时更新视频有关内容。');
    expect(item('C178').path[3]).toBe('更新保障');
  });

  it('resolves every form of unit cell', () => {
    expect(item('T2').assignment.units).toEqual(['县商务局', '县住房城乡建设局', '县文化和旅游局', '县卫生健康局']);
    expect(item('T15').assignment.units).toEqual(everyone); // 各级各部门单位
    expect(item('C1').assignment.units).toEqual(everyone); // 所有部门、单位
    const c16 = item('C16').assignment.units; // 除…外的部门、单位
    expect(c16).toHaveLength(everyone.length - 4);
    for (const u of ['县司法局', '县信访局', '县投资促进发展中心', '县供销社']) expect(c16).not.toContain(u);
    expect(item('C19').assignment.units).toHaveLength(everyone.length - 7);
    expect(item('C24').assignment).toEqual({ units: ['县审计局'], lead: null, unassigned: ['县审计局等有关部门单位'] });
    expect(item('T6').assignment).toEqual({ units: [], lead: null, unassigned: ['县政府有关部门单位'] });
    expect(item('T25').assignment.unassigned).toEqual(['重大政策起草单位']);
    expect(item('T26').assignment.unassigned).toEqual(['舆情涉及部门单位']);
    expect(item('C166').assignment.unassigned).toEqual(['承担相关领域的单位']);
    const towns = item('T40').assignment; // 各镇（街道），相关领域负责单位
    expect(towns.units).toHaveLength(12);
    expect(towns.units).not.toContain('沂源经济开发区');
    expect(towns.unassigned).toEqual(['相关领域负责单位']);
    expect(item('C83').assignment.units).toContain('沂源经济开发区'); // 各镇（街道、经济开发区）
    expect(item('C37').assignment.units).toContain('县教育和体育局'); // the typo 县教育和体育
    expect(item('C37').assignment.units).toHaveLength(26);
  });

  it('moves every fixed date to the year of a copy of the plan for another year', () => {
    const next = parsePlan(planText.replaceAll('2023', '2024'), resolver);
    expect(next.year).toBe(2024);
    expect(next.issueDate).toBe('2024-08-09');
    const fixed = next.items.flatMap((i) => (i.rule.type === 'fixed' ? [i.rule.date] : []));
    expect(fixed.length).toBeGreaterThan(10);
    for (const date of fixed) expect(date.startsWith('2024-')).toBe(true);
    expect(next.items.find((i) => i.ref === 'B1')!.rule).toEqual({ type: 'fixed', date: '2024-08-16' });
  });

  it('refuses a text that is not a plan, saying what is missing', () => {
    expect(() => parsePlan('会议纪要\n今天开会。', resolver)).toThrow(PlanFormatError);
    expect(() => parsePlan('会议纪要\n今天开会。', resolver)).toThrow(/title/);
    const noAnnex = planText.slice(0, planText.indexOf(' 附件1'));
    expect(() => parsePlan(noAnnex, resolver)).toThrow(/附件1/);
  });

  it('keeps an unknown deadline visible as 及时公开 with a warning, and an unknown unit as unassigned', () => {
    const edited = planText.replace('县大数据中心\n\t2023年年底前完成', '县新设局\n\t待定');
    const p = parsePlan(edited, resolver);
    const t8 = p.items.find((i) => i.ref === 'T8')!;
    expect(t8.rule).toEqual({ type: 'asap' });
    expect(t8.assignment).toEqual({ units: [], lead: null, unassigned: ['县新设局'] });
    expect(p.warnings).toEqual([
      'T8: deadline "待定" is not understood; kept as 及时公开 until the coordinator sets a date',
      'T8: unit "县新设局" is not in the unit directory',
    ]);
  });
});
