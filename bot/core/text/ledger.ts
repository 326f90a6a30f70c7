// The words of the workbook handed in as 工作台账 and of the completion chart (查询 图).

export const ledgerText = {
  /** one short status per row, the same in the workbook and the CSV (filterable) */
  statusWord: { pending: '待办', done: '已完成', doneLate: '逾期完成', overdue: '逾期', notApplicable: '不适用', unassigned: '未分配' },
  /** who hands the ledger in: the county's 大数据中心 (政务公开 is its job), or the place itself */
  filer: (place: string) => (/[县区市]$/.test(place) ? `${place}大数据中心` : place),
  filerLabel: (unit: string) => `填报单位：${unit}`,
  dateLabel: (day: string) => `填报日期：${day}`,
  contactLabel: (name: string) => `联系人：${name}`,
  sheetTitle: (plan: string, sheet: string) => `${plan}工作台账——${sheet}`,
  number: '序号',
  ref: '编号',
  status: '状态',
  total: '合计',
  figuresHeader: ['责任单位', '事项数', '已到期', '已完成', '按期完成', '逾期完成', '逾期未完成', '按期率'],
  selfChecksHeading: '常态化、长期坚持任务季度自查（单列统计，不计入上方工作任务的按期率）',
  chartHeading: '各单位工作任务完成情况（不含季度自查；图中编号即上方工作任务表的序号；绿：按期完成，黄：逾期完成，红：逾期未完成，灰：未到期）',

  chartCoordinatorOnly: '完成情况图只有协调员可以查看；发送「查询」查看本单位台账。',
  chartNothing: '还没有已分配单位的任务，无图可画。',
  /** the chart shows numbers only (no CJK font to draw names): the reply names them */
  chartReady: (today: string, lines: string[], to: 'here' | 'private' | 'coordinatorGroup') =>
    `各单位完成情况（截至 ${today}，不含季度自查），${{ here: '图片随后发送', private: '图片已私信发送给您', coordinatorGroup: '图片已发送到协调员群' }[to]}。\n` +
    `绿：按期完成　黄：逾期完成　红：逾期未完成　灰：未到期；右侧为已完成/事项数。\n图中编号：\n${lines.join('\n')}`,
  chartLine: (n: number, unit: string, done: number, items: number) => `${n}. ${unit} ${done}/${items}`,
};
