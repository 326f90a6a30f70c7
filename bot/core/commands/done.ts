import { recordReport, reportById } from '../../../db/reports.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { linkText, text } from '../text/messages.js';
import type { Command } from './parse.js';
import { reportedBy, type CommandContext, type Handler } from './context.js';
import { rowLabel } from '../reminders/lines.js';
import { findTarget, isReply } from './target.js';

type Done = Extract<Command, { name: 'done' }>;
/** What became of one item of a 完成: recorded, kept as history, or not recorded and why. */
type Outcome =
  | { kind: 'recorded'; unit: string; label: string; when: string; link: string | null }
  | { kind: 'history'; text: string }
  | { kind: 'refused'; ref: string; text: string };

/**
 * Completes the earliest open occurrence of one item. When every occurrence is done already,
 * the report is kept as history and nothing is completed twice.
 */
function complete(ctx: CommandContext, ref: string, unit: string | null, link: string | null, note: string | null): Outcome {
  const target = findTarget(ctx, ref, unit, (u) => `完成 ${ref} ${u} ${link ?? '链接'}`);
  if (isReply(target)) return { kind: 'refused', ref, text: target.text };
  const open = target.rows.find((r) => r.doneReportId === null);
  const row = open ?? target.rows.at(-1)!;
  const { completed } = recordReport(ctx.db, { assignmentId: row.id, kind: 'done', evidence: link, note, ...reportedBy(ctx) });
  const label = rowLabel(ref, row.occurrence);
  if (!completed) {
    const first = reportById(ctx.db, row.doneReportId!)!;
    return { kind: 'history', text: text.alreadyDone(target.unit, label, shanghaiDate(new Date(first.at))) };
  }
  const late = row.due === null ? 0 : Math.max(0, ctx.calendar.workdaysBetween(row.due, ctx.today));
  const when = row.due === null ? '' : late > 0 ? text.late(late) : text.onTime;
  return { kind: 'recorded', unit: target.unit, label, when, link };
}

/**
 * 完成 T5 [单位] [链接…], or several items at once. As many links as items pair up in order;
 * otherwise the first link is every item's evidence and the others go into the note.
 */
export const doneCommand: Handler<Done> = (cmd, ctx) => {
  const paired = cmd.refs.length > 1 && cmd.links.length === cmd.refs.length;
  const extra = paired ? [] : cmd.links.slice(1);
  const note = [cmd.note, extra.length ? linkText.otherLinks(extra) : null].filter(Boolean).join('；') || null;
  const outcomes = cmd.refs.map((ref, i) => complete(ctx, ref, cmd.unit, (paired ? cmd.links[i] : cmd.links[0]) ?? null, note));
  const extraNote = extra.length ? linkText.otherLinksStored(extra.length) : '';
  if (outcomes.length === 1) {
    const o = outcomes[0]!;
    return { text: o.kind === 'recorded' ? text.doneRecorded(o.unit, o.label, o.when, o.link) + extraNote : o.text };
  }
  // one reply: recorded first, then what was not and why; history last (its sentence ends the reply)
  const recorded = outcomes.flatMap((o) => (o.kind === 'recorded' ? [text.doneLine(o.unit, o.label, o.when, o.link)] : []));
  const refused = outcomes.flatMap((o) => (o.kind === 'refused' ? [text.notRecordedLine(o.ref, o.text)] : []));
  const history = outcomes.flatMap((o) => (o.kind === 'history' ? [o.text] : []));
  const parts = [recorded.length ? text.doneMany(recorded) + extraNote : '', refused.length ? text.notRecorded(refused) : '', ...history];
  return { text: parts.filter(Boolean).join('\n') };
};
