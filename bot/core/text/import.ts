// What the bot says about a plan a coordinator sends in chat: the preview, 确认导入, 取消导入.
import type { ImportSummary } from '../../../db/import.js';
import type { PlanPreview } from '../../../schedules/preview.js';

/** At most this many unfound units are named; the rest are counted. */
const UNITS_SHOWN = 5;

/** Units of the plan not in the directory, each with up to three close names. */
function unresolvedLines(p: PlanPreview): string[] {
  const lines = p.unresolved.slice(0, UNITS_SHOWN).map((u) => `· ${u.name}${u.suggestions.length ? `（相近：${u.suggestions.slice(0, 3).join('、')}）` : ''}`);
  if (p.unresolved.length > UNITS_SHOWN) lines.push(`· 等共${p.unresolved.length}个`);
  return lines;
}

/** The counts by part, as the preview and the import both say them. */
const counts = (c: { tasks: number; checklist: number; body: number }) => `重点任务${c.tasks}项、清单事项${c.checklist}项、正文任务${c.body}项`;

export const importText = {
  /** a file from a liaison, privately: nothing is stored */
  coordinatorsOnly: '只有协调员可以发送工作要点文件导入台账。',
  notAPlan: (file: string) =>
    `「${file}」读不出工作要点：请发送 Word（.docx）、Excel（.xlsx）、网页（.html）或文本（.txt）原件；旧版 .doc、.wps 和 PDF 请先另存为 .docx。`,
  /** a few lines, not every item: what 确认导入 would bring into the ledger */
  preview: (file: string, p: PlanPreview) =>
    [
      `已读取「${file}」：${p.title}（${p.year}年，印发日期 ${p.issueDate}）`,
      `${counts(p.counts)}；涉及单位${p.directory.units}个${p.directory.fromPlan ? '（按文件所列单位新建）' : ''}。`,
      ...(p.unresolved.length ? [`单位名录中找不到${p.unresolved.length}个单位，导入后这些任务为「待分配」：`, ...unresolvedLines(p)] : []),
      ...(p.toAssign.length ? [`未明确具体单位的任务${p.toAssign.length}处，导入后请用「分配」指定。`] : []),
      ...(p.unreadDeadlines.length ? [`${p.unreadDeadlines.length}项时限未能识别，暂按「及时公开」处理，可用「期限」设定。`] : []),
      ...(p.warnings.length ? [`另有提示${p.warnings.length}条。`] : []),
      '回复「确认导入」导入台账，「取消导入」放弃。',
    ].join('\n'),
  nothingPending: '没有待确认的导入：请先把工作要点文件发给机器人。',
  cancelled: (file: string) => `已取消导入「${file}」，台账未改动。`,
  imported: (file: string, r: ImportSummary, unresolved: number) =>
    [
      `已导入「${file}」（${r.year}年，印发日期 ${r.issueDate}）：${counts(r)}，单位${r.units}个；台账新增${r.added}条、更新${r.updated}条、停用${r.retired}条。`,
      ...(unresolved ? [`${unresolved}个单位不在名录中，相关任务显示为「待分配」，请用「分配」指定。`] : []),
    ].join('\n'),
};
