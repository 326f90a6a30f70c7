import { parseProgress } from './args.js';
import { recordReport } from '../../../db/reports.js';
import { text } from '../text/messages.js';
import type { Command } from './args.js';
import { reportedBy, type CommandSpec, type Handler } from './context.js';
import { findTarget, isReply } from './target.js';

/** 进展 T5 [单位] 文字: a progress note on the earliest open occurrence. */
const progressCommand: Handler<Extract<Command, { name: 'progress' }>> = (cmd, ctx) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `进展 ${cmd.ref} ${u} ${cmd.text}`);
  if (isReply(target)) return target;
  const row = target.rows.find((r) => r.doneReportId === null) ?? target.rows[0]!;
  recordReport(ctx.db, { assignmentId: row.id, kind: 'progress', evidence: null, note: cmd.text, ...reportedBy(ctx) });
  return { text: text.progressRecorded(target.unit, cmd.ref) };
};

export const progressSpec: CommandSpec<'progress'> = {
  name: 'progress',
  words: ['进展', '进度报告', '/progress'],
  access: 'liaison',
  parse: (rest, lookup) => parseProgress(rest, lookup),
  handle: progressCommand,
};
