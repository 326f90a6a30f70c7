// Every line of Chinese the bot says, in one place: short and specific.

/** What someone wrote, quoted back in an answer: never more than 50 characters of it. */
const quote = (written: string) => `「${written.length > 50 ? `${written.slice(0, 50)}…` : written}」`;

/** @name, then the text: how replies and notices address people (text parts around @mentions). */
export function mentionFirst(contactIds: string[], text: string): { parts: string[]; mentions: string[] } {
  if (contactIds.length === 0) return { parts: [text], mentions: [] };
  return { parts: ['', ...contactIds.map((_, i) => (i === contactIds.length - 1 ? ` ${text}` : ' '))], mentions: contactIds };
}

export type CommandName =
  | 'bind'
  | 'approve'
  | 'reject'
  | 'unbind'
  | 'tasks'
  | 'done'
  | 'selfCheck'
  | 'withdraw'
  | 'correct'
  | 'progress'
  | 'event'
  | 'status'
  | 'help'
  | 'assign'
  | 'due'
  | 'remindMe'
  | 'remind'
  | 'export'
  | 'report'
  | 'planImport';

/** The right form of each command, shown after a mistake. */
export const usage: Record<CommandName, string> = {
  bind: '格式：绑定 单位名称（如：绑定 县商务局）',
  approve: '格式：批准 姓名 或 批准 编号（不写则列出待批准的申请）',
  reject: '格式：驳回 姓名 或 驳回 编号',
  unbind: '格式：解绑 姓名 [单位名称]',
  tasks: '格式：我的任务',
  done: '格式：完成 T5 [单位] [公开链接]（如：完成 T5 https://…）',
  withdraw: '格式：撤回 T16 [单位]（撤回最近一次完成登记）',
  correct: '格式：更正 T16 [单位] 新的公开链接',
  selfCheck: '格式：自查完成 [季度] [单位]（如：自查完成 三季度）',
  progress: '格式：进展 T5 [单位] 进展情况',
  event: '格式：信息形成 T12 [单位] 2023-09-20',
  status: '格式：/status [单位名称 或 T12 或 图]',
  help: '发送「帮助」查看可用命令。',
  assign: '格式：分配 T25 单位名称[、单位名称…]',
  due: '格式：期限 T6 2024-03-31 [单位名称]',
  remindMe: '格式：提醒我',
  remind: '格式：/remind',
  export: '格式：/export',
  report: '格式：/report 2023Q4',
  planImport: '格式：确认导入 或 取消导入（先把工作要点文件发给机器人）',
};

/** Each command's line in 帮助, for liaisons and for coordinators; listed in the registry's order. */
export const helpLines: Partial<Record<CommandName, { liaison?: string; coordinator?: string }>> = {
  bind: { liaison: '绑定 县商务局 — 申请成为本单位联络员' },
  tasks: { liaison: '我的任务 — 查看本单位待办' },
  done: {
    liaison: '完成 T5 https://… — 报告完成并附公开链接（可一次写多项：完成 T5、T6）',
    coordinator: '完成 T17 县商务局 https://… — 代单位报告完成（撤回、更正同样写单位）',
  },
  selfCheck: { liaison: '自查完成 [三季度] — 本季度长期坚持、常态化任务自查全部完成' },
  withdraw: { liaison: '撤回 T5 — 撤回最近一次完成登记' },
  correct: { liaison: '更正 T5 https://… — 更正公开链接' },
  progress: { liaison: '进展 T5 文字 — 报告进展' },
  event: { liaison: '信息形成 T12 2023-09-20 — 登记信息形成/变更日期，开始计时' },
  remindMe: { liaison: '提醒我 — 马上收到今天的提醒' },
  status: { liaison: '/status — 查看本单位台账', coordinator: '/status [单位|T12|图] — 全县、单位或任务的台账，或各单位完成情况图' },
  approve: { coordinator: '批准 姓名 / 驳回 姓名 / 解绑 姓名 — 处理绑定' },
  assign: { coordinator: '分配 T25 县发展改革局 — 为未明确单位的任务指定单位' },
  due: { coordinator: '期限 T6 2024-03-31 — 为「及时公开」任务设定期限' },
  remind: { coordinator: '/remind — 立即发送本轮提醒' },
  export: { coordinator: '/export — 导出工作台账（Excel）' },
  report: { coordinator: '/report 2023Q4 — 季度检查报告' },
  planImport: { coordinator: '发送工作要点文件 — 预览后回复「确认导入」导入台账' },
};
export const helpHeader = {
  liaison: '联络员可用命令：',
  coordinator: '协调员另可使用：',
  /** where the bot hears only group messages that @mention it */
  atBot: '在群里发命令请先 @机器人，如「@机器人 完成 T5 链接」；私聊直接发送即可。',
};

const wd = (n: number) => `${n}个工作日`;
/** "还有3个工作日" / "今天到期" / "已逾期2个工作日" */
export function timeLeft(workdays: number): string {
  if (workdays > 0) return `还有${wd(workdays)}`;
  if (workdays === 0) return '今天到期';
  return `已逾期${wd(-workdays)}`;
}

export const estimatedNote = '（所涉年度尚无官方节假日安排，按预估日历计算）';

export const text = {
  coordinatorOnly: '只有协调员可以使用这个命令。',
  notBound: '您还没有绑定单位。请先发送「绑定 单位名称」，协调员批准后即可使用。',
  identityChanged: (units: string) => `您的微信身份已变化（可能是重新登录），${units}的联络员绑定需协调员重新确认，确认后即可继续使用。`,
  noPlan: '台账中还没有工作方案，请先导入。',
  unknownRef: (ref: string) => `没有找到任务 ${ref}。`,
  notYourItem: (ref: string) => `${ref} 不是您所在单位的任务。发送「我的任务」查看本单位待办。`,
  onBehalfNeedsUnit: (example: string) => `代单位报告请写明单位，如：${example}`,
  notTheirItem: (ref: string, unit: string) => `${ref} 不是${unit}的任务。`,
  onBehalf: (unit: string) => `${unit}（协调员代报）`,
  withdrawn: (unit: string, label: string, at: string) => `已撤回：${unit} ${label} 于${at}登记的完成，该项重新列为待办；原报告保留在历史中。`,
  nothingToWithdraw: (unit: string, ref: string) => `${unit} ${ref} 还没有登记完成，无需撤回。`,
  corrected: (unit: string, label: string, link: string) => `已更正：${unit} ${label} 的公开链接改为 ${link}；原链接保留在历史中。`,
  nothingToCorrect: (unit: string, ref: string) => `${unit} ${ref} 还没有登记完成。请发送：完成 ${ref} 链接`,
  notYourUnit: (unit: string) => `您不是${unit}的联络员，不能代其报告。`,
  whichUnit: (ref: string, units: string[], example: string) =>
    `${ref} 涉及您负责的多个单位（${units.join('、')}），请写明单位，如：${example}`,

  bindMany: (lines: string[]) => lines.join('\n'),
  bindRequested: (unit: string) => `已提交申请：绑定 ${unit}，等待协调员批准。`,
  bindPending: (unit: string) => `您绑定 ${unit} 的申请已在等待协调员批准。`,
  bindLimit: (n: number) => `今天已提交${n}个绑定申请，请等协调员处理后再申请。`,
  bindAlready: (unit: string) => `您已是${unit}的联络员。`,
  bindNotice: (name: string, unit: string, id: number) => `「${name}」申请成为${unit}联络员。回复「批准 ${id}」或「驳回 ${id}」。`,
  noPending: '没有待批准的绑定申请。',
  pendingList: (lines: string[]) => `待批准的绑定申请：\n${lines.join('\n')}\n回复「批准 编号」或「驳回 编号」。`,
  pendingLine: (id: number, name: string, unit: string) => `${id}. ${name} — ${unit}`,
  ambiguousPending: (who: string, lines: string[]) => `${quote(who)}有多条申请，请用编号：\n${lines.join('\n')}`,
  noSuchPending: (who: string) => `没有找到${quote(who)}的待批准申请。发送「批准」查看全部申请。`,
  approved: (name: string, unit: string) => `已批准：${name} 为${unit}联络员。`,
  rejected: (name: string, unit: string) => `已驳回：${name} 绑定${unit}的申请。`,
  unbound: (name: string, units: string) => `已解绑：${name}（${units}）。`,
  noSuchLiaison: (who: string) => `没有找到联络员${quote(who)}。`,

  doneRecorded: (unit: string, label: string, onTime: string, link: string | null) =>
    `已记录：${unit} ${label} 完成${onTime}。${link ? `公开链接已存入台账：${link}` : '未附公开链接，可补发：完成 ' + label.split('（')[0] + ' 链接'}`,
  /** several items in one message: what was recorded, then what was not and why */
  doneMany: (recorded: string[]) => `已记录 ${recorded.length} 项完成：\n${recorded.join('\n')}`,
  doneLine: (unit: string, label: string, onTime: string, link: string | null) => `· ${unit} ${label} 完成${onTime}${link ? ` 公开链接：${link}` : ' 未附公开链接'}`,
  notRecorded: (lines: string[]) => `未记录：\n${lines.join('\n')}`,
  notRecordedLine: (ref: string, why: string) => `· ${ref}：${why}`,
  noSuchPeriod: (ref: string, period: string) => `${ref} 没有 ${period} 这一期。`,
  notBegun: (label: string, start: string) => `${label} 的周期从 ${start} 开始，尚未开始，不能登记完成。`,
  onTime: '（按期）',
  late: (workdays: number) => `（逾期${wd(workdays)}）`,
  alreadyDone: (unit: string, label: string, at: string) => `${unit} ${label} 已于${at}记为完成，本次报告已记入历史。`,
  selfCheckRecorded: (unit: string, quarter: string, n: number) => `已记录：${unit} ${quarter} 季度自查完成，共 ${n} 项。`,
  selfCheckDone: (unit: string, quarter: string, n: number) => `${unit} ${quarter} 季度自查 ${n} 项已全部记为完成。`,
  selfCheckNone: (unit: string, quarter: string) => `${unit} ${quarter} 没有季度自查任务。`,
  selfCheckNotBegun: (quarter: string, start: string) => `${quarter} 从 ${start} 开始，尚未开始，不能登记自查完成。`,
  selfCheckWhichUnit: (units: string[]) => `您负责多个单位（${units.join('、')}），请写明单位，如：自查完成 ${units[0]}`,
  progressRecorded: (unit: string, ref: string) => `已记录 ${unit} ${ref} 的进展。`,
  notAfterEvent: (ref: string) => `${ref} 不是按「信息形成或变更之日起」计时的任务，不需要登记日期。`,
  notADate: (written: string) => `${quote(written)}不是有效日期。`,
  eventBeforePlan: (date: string, year: number) => `${date} 早于${year}年工作方案，请填写本年度信息形成或变更的日期。`,
  futureEvent: (date: string) => `${date} 还没到，请填写信息实际形成或变更的日期。`,
  eventRecorded: (unit: string, ref: string, event: string, date: string, workdays: number, due: string, note: string) =>
    `已登记：${unit} ${ref} ${event}于${date}，须在${wd(workdays)}内公开，截止 ${due}。${note}`,
  eventAgain: (unit: string, ref: string, date: string, due: string) => `${unit} ${ref} ${date} 的信息形成已登记过，截止 ${due}；本次报告已记入历史。`,

  assignNotNeeded: (ref: string) => `${ref} 的责任单位在方案中已明确，不需要分配。`,
  assigned: (ref: string, units: string[]) => `已将 ${ref} 分配给：${units.join('、')}。`,
  dueNotAsap: (ref: string, deadline: string) => `${ref} 的期限由方案确定（${deadline}），只有「及时公开」任务可以设定期限。`,
  dueSet: (ref: string, date: string, unit: string | null, note: string) => `已设定 ${ref}${unit ? `（${unit}）` : ''} 的期限为 ${date}。${note}`,
  dueNothing: (ref: string) => `${ref} 没有未完成的条目需要设定期限。`,

  tasksHeader: (unit: string, today: string) => `${unit} 待办（${today}）：`,
  tasksNone: (unit: string) => `${unit} 目前没有待办任务。`,
  tasksMore: (n: number) => `……另有 ${n} 项，发送「我的任务 全部」查看。`,
  selfCheckLine: (name: string, n: number, due: string, left: string) => `${name} ${n}项，截止 ${due}（${left}）`,
  tasksEventDriven: (n: number) => `另有 ${n} 项在信息形成或变更后计时，发生时请发送「信息形成 T编号 日期」。`,
  taskLine: (label: string, text: string, due: string, left: string) => `${label} ${text}，截止 ${due}（${left}）`,

  countyHeader: (today: string, units: number, overdue: number, done: number, total: number) =>
    `全县台账（${today}）：${units}个单位，逾期 ${overdue} 项，已完成 ${done}/${total} 项。`,
  countyLine: (unit: string, overdue: number, done: number, total: number, onTime: number) =>
    `${unit}：逾期${overdue} · 完成${done}/${total} · 按期${onTime}`,
  countyMore: (n: number) => `……另有 ${n} 个单位，发送「/status 全部」查看全部，或「/status 单位名称」查看单个单位。`,
  countyUnassigned: (refs: string[]) => `待分配单位：${refs.join('、')}（发送「分配 T编号 单位」）`,
  unitHeader: (unit: string, today: string, overdue: number, open: number, done: number) =>
    `${unit} 台账（${today}）：逾期 ${overdue} · 待办 ${open} · 已完成 ${done}`,
  unitOverdue: '逾期：',
  unitNext: '近期到期：',
  itemHeader: (ref: string, text: string, deadline: string) => `${ref} ${text}\n时限：${deadline}`,
  itemLine: (unit: string, state: string) => `${unit}：${state}`,
  stateDone: (at: string, evidence: string | null) => `已完成 ${at}${evidence ? ' ' + evidence : ''}`,
  stateOverdue: (due: string) => `逾期（截止 ${due}）`,
  stateNotApplicable: (due: string) => `不适用（截止 ${due}，早于方案印发）`,
  statePending: (due: string | null) => (due ? `待办（截止 ${due}）` : '待办（尚无截止日期）'),
  stateUnassigned: (label: string | null) => `待分配（${label ?? '未明确单位'}）`,
  statusOnlyOwn: '您只能查看本单位的台账。',
};

/** 三季度自查, from an occurrence such as 2023-Q3: the self-checks of 长期坚持 and 常态化 items. */
export const selfCheckName = (occurrence: string) => {
  const q = /Q([1-4])$/.exec(occurrence)?.[1];
  return q ? `${'一二三四'[Number(q) - 1]}季度自查` : '季度自查';
};

/** A list of units, cut after eight: 县民政局、县财政局……等46个单位 */
const some = (units: string[]) => (units.length > 8 ? `${units.slice(0, 8).join('、')}等${units.length}个单位` : units.join('、'));

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const weekday = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

/** What a command's arguments lacked; the command's usage line follows. */
export const argText = {
  noRef: '请写明任务编号。',
  notRef: (written: string) => `${quote(written)}不是任务编号。`,
  noDate: '请写明日期。',
  noProgress: '请写明进展情况。',
  noUnitToAssign: '请写明要分配的单位。',
  noUnitToBind: '请写明要绑定的单位。',
  noLiaison: '请写明要解绑的联络员。',
  oneItem: '一次只能处理一项任务。',
  noCorrectLink: '请写明更正后的公开链接。',
  notQuarter: (written: string) => `${quote(written)}不是季度。`,
  unknownCommand: (written: string) => `不认识的命令${quote(written)}。`,
};

/** What is said about links and units written in a message. */
export const inputText = {
  tooLong: '链接超过2000个字符，无法存入台账，请发送较短的公开链接。',
  notWeb: (written: string) => `${quote(written)}不是网页链接（须为 http:// 或 https://），未存入台账。`,
  otherLinks: (links: string[]) => `其他链接：${links.join(' ')}`,
  otherLinksStored: (links: string[]) => `\n其他链接已记入备注：${links.join(' ')}`,
  noSuchUnit: (written: string) => `没有找到单位${quote(written)}。`,
  didYouMean: (written: string, units: string[]) => `没有找到单位${quote(written)}，您是不是指：${units.join('、')}？`,
  confirmDone: (refs: string[]) => `要登记 ${refs.join('、')} 完成吗？请发送：完成 ${refs.join('、')} 链接`,
};

/** The reminder round: the group digest, a liaison's details, and the coordinator's summary. */
export const reminder = {
  header: (today: string, late: boolean) => `【政务公开提醒】${today} ${weekday(today)}${late ? '（补发）' : ''}`,
  continued: (header: string) => `${header}（续）`,
  unitHeading: (unit: string) => `${unit}：`,
  bullet: (line: string) => `· ${line}`,
  dueHeading: (due: string, left: string) => `截止 ${due}（${left}）：`,
  selfCheckCount: (name: string, n: number) => `${name} ${n}项`,
  footer: '完成后请回复「完成 T编号 公开链接」。',
  /** the footer where the bot hears only group messages that @mention it */
  footerAtBot: '完成后请回复「@机器人 完成 T编号 公开链接」。',
  /** a liaison's line in the group digest: 县民政局：今天到期1项，5个工作日后到期2项 */
  news: (unit: string, parts: string[]) => `${unit}：${parts.join('，')}`,
  dueToday: (n: number) => `今天到期${n}项`,
  dueIn: (workdays: number, n: number) => `${workdays}个工作日后到期${n}项`,
  newlyOverdue: (n: number) => `新逾期${n}项`,
  overdueCount: (items: number, units: number, privately: boolean) =>
    `逾期未完成共${items}项（${units}个单位），${privately ? '逾期清单每周一私信发送' : '发送「我的任务」查看'}。`,
  summaryFooter: (privately: boolean, atBot: boolean) =>
    `${privately ? '明细已私信发送' : `明细请发送「${atBot ? '@机器人 ' : ''}我的任务」查看`}；完成后请回复「${atBot ? '@机器人 ' : ''}完成 T编号 公开链接」。`,
  summaryHeader: (today: string) => `【每日汇总】${today} ${weekday(today)}`,
  escalation: (lines: string[]) => `【逾期通报】以下事项已逾期，请督促：${lines.map((l) => `\n${l}`).join('')}`,
  escalationLine: (label: string, late: number, units: string[]) => `${label}（已逾期${late}个工作日）：${some(units)}`,
  summaryMore: (n: number) => `……另有${n}项，发送「/status」查看。`,
  overdueByUnit: (units: string[]) => `逾期未完成：${units.join('、')}`,
  unitCount: (unit: string, n: number) => `${unit}${n}项`,
  yearOver: '方案年度已结束：逾期事项不再每天提醒联络员，每周在此汇总，直至导入新方案。',
  orphans: (units: string[]) => `【待绑定】${units.length}个单位尚无联络员，提醒无人接收：${some(units)}。请通知其发送「绑定 单位名称」。`,
  orphanUnit: (unit: string, items: number) => (items > 1 ? `${unit}（${items}项）` : unit),
  restDay: '今天是休息日，不发提醒。',
  nothingDueNow: '今天没有需要发送的提醒（已发送过的不再重复），本轮不发送。',
  roundPlanned: (names: string[], items: number, orphans: string[]) =>
    [
      `好的，现在发送本轮提醒：${names.length ? `${names.length}位联络员（${names.length > 8 ? `${names.slice(0, 8).join('、')}等` : names.join('、')}），共${items}项` : '没有新的联络员提醒'}`,
      orphans.length ? `；${some(orphans)}尚无联络员` : '',
      '。',
    ].join(''),
  nothingNewToday: '今天没有新的提醒。',
};

/** Words of the exported ledger and the quarterly report. */
export const exportText = {
  doneOnTime: '已完成（按期）',
  doneLate: (workdays: number) => `已完成（逾期${workdays}个工作日）`,
  status: { pending: '进行中', overdue: '逾期未完成', unassigned: '待分配', done: '已完成', notApplicable: '不适用（截止早于方案印发）' },
  unassigned: (label: string | null) => `待分配（${label ?? '未明确单位'}）`,
  summaryTitle: (plan: string, at: string) => `${plan} 工作台账汇总（截至 ${at}）`,
  quarterTitle: (quarter: string, from: string, to: string, at: string) => `季度检查 ${quarter}（${from} 至 ${to} 到期事项，截至 ${at}）`,
  quarterLine: (unit: string, fellDue: number, onTime: number, late: number, overdue: number, notYetDue: number, overdueRefs: string[]) =>
    `${unit}：已到期${fellDue} · 按期${onTime} · 逾期完成${late} · 逾期未完成${overdue} · 未到期${notYetDue}` +
    (overdueRefs.length ? `（逾期：${overdueRefs.length > 8 ? `${overdueRefs.slice(0, 8).join('、')}等${overdueRefs.length}项` : overdueRefs.join('、')}）` : ''),
  badQuarter: (q: string) => `${quote(q)}不是季度，格式如：/report 2023Q4`,
  /** where the file goes: this (private) conversation, the asker privately, or the coordinators' group */
  exportReady: (to: 'here' | 'private' | 'coordinatorGroup') =>
    ({ here: '台账已导出，文件随后发送。', private: '台账已导出，文件已私信发送给您。', coordinatorGroup: '台账已导出，文件已发送到协调员群。' })[to],
  /** the file stays on the server; its path goes to the log only */
  cannotSendFile: '当前渠道无法发送文件，台账已保存在机器人所在的服务器上，请联系管理员获取。',
  /** nowhere private to send a file: nothing is written */
  noPrivateRoute:
    '台账文件只发给协调员本人，不发到联络员群。当前渠道不能私信，也未设置协调员群：请私聊机器人发送「/export」，或由管理员在配置文件中设置 coordinatorGroup（协调员群的会话 id）。',
};

/** Another contact writes under a bound liaison's name: what it and the coordinators are told. */
export const identityText = {
  refused: (name: string, days: number) =>
    `${quote(name)}是已绑定的联络员，其原账号近${days}天内仍在发言，不能由其他账号代替。本条消息未登记。如您确是本人并更换了账号，请联系协调员；如只是同名，请把群昵称改为可区分的名字（如加上单位）后再发送。`,
  /** under a bind notice: the requester has a bound liaison's name */
  sameName: (contacts: string[]) => `申请人与已绑定的联络员同名，请核实，只能按编号批准：\n${contacts.join('\n')}`,
  refusedNotice: (name: string, units: string, contacts: string[], days: number) =>
    `注意：另一账号以${quote(name)}（${units}联络员）的名字发言，已拒绝，未登记、未提交绑定申请。\n${contacts.join('\n')}\n原账号近${days}天内仍有发言，视为仍在群内。如确为本人更换了账号，可先发送「解绑 ${name}」，再请其重新绑定。`,
  requestNotice: (name: string, units: string, requests: string[], contacts: string[], days: number) =>
    `${quote(name)}以新的账号发言，原绑定单位：${units}。已提交重新绑定申请：\n${requests.join('\n')}\n${contacts.join('\n')}\n原账号已${days}天以上未发言，可能是重新登录。请核实是否本人：确认后回复「批准 编号」，否则回复「驳回 编号」。同名申请只能按编号批准。`,
  /** · 原账号（2023-08-10绑定，现名「王芳（民政）」）：最近发言 2023-08-21 10:00（本群） */
  contact: (who: 'old' | 'new', boundOn: string | null, nameNow: string | null, heardAt: string | null, place: string | null) =>
    `· ${who === 'old' ? '原账号' : '新账号'}${boundOn || nameNow ? `（${[boundOn && `${boundOn}绑定`, nameNow && `现名「${nameNow}」`].filter(Boolean).join('，')}）` : ''}：${heardAt ? `最近发言 ${heardAt}（${place}）` : '未听到发言'}`,
  thisGroup: '本群',
  otherGroup: '其他群',
  privately: '私聊',
  basis: '（是否在群内依据机器人听到的发言判断；本渠道不能列出群成员。）',
  approveByNumber: (who: string, lines: string[]) =>
    `${quote(who)}对应不止一个账号（已绑定的联络员与申请人同名），不能按姓名批准。请核实后用编号：\n${lines.join('\n')}`,
};
