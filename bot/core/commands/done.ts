import { parseDone } from './args.js';
import { recordReport, reportById } from '../../../db/reports.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { periodStart } from '../../../schedules/due.js';
import { inputText, text } from '../text/messages.js';
import type { Command } from './args.js';
import { reportedBy, type CommandContext, type CommandSpec, type Handler } from './context.js';
import { rowLabel } from '../reminders/lines.js';
import { findTarget, isReply, targetUnit } from './target.js';

type Done = Extract<Command, { name: 'done' }>;
/** What became of one item of a 完成: recorded, kept as history, or not recorded and why. */
type Outcome =
  | { kind: 'recorded'; unit: string; label: string; when: string; link: string | null }
  | { kind: 'history'; text: string }
  | { kind: 'refused'; ref: string; text: string };

/** Whether an occurrence is the period written ('2023-09', or '*-09' for the month of any year). */
const inPeriod = (occurrence: string, period: string) =>
  period.startsWith('*') ? occurrence.endsWith(period.slice(1)) && /^\d{4}-/.test(occurrence) : occurrence === period;

/**
 * Completes the earliest open occurrence of one item whose period has begun, or the period
 * written (完成 C30 9月). When those are done already, the report is kept as history and
 * nothing is completed twice; a period that has not begun is never completed.
 */
function complete(ctx: CommandContext, ref: string, cmd: Done, link: string | null, note: string | null): Outcome {
  const target = findTarget(ctx, ref, cmd.unit, (u) => `完成 ${ref} ${u} ${link ?? '链接'}`);
  if (isReply(target)) return { kind: 'refused', ref, text: target.text };
  // a period only means something for an item done per period
  const periodic = target.rows.some((r) => periodStart(r.occurrence) !== null);
  const rows = cmd.period && periodic ? target.rows.filter((r) => inPeriod(r.occurrence, cmd.period!)) : target.rows;
  if (rows.length === 0) return { kind: 'refused', ref, text: text.noSuchPeriod(ref, cmd.period!.replace('*-', '')) };
  const begun = rows.filter((r) => (periodStart(r.occurrence) ?? '') <= ctx.today);
  if (begun.length === 0) return { kind: 'refused', ref, text: text.notBegun(rowLabel(ref, rows[0]!.occurrence), periodStart(rows[0]!.occurrence)!) };
  const row = begun.find((r) => r.doneReportId === null) ?? begun.at(-1)!;
  const { completed } = recordReport(ctx.db, { assignmentId: row.id, kind: 'done', evidence: link, note, onBehalf: target.onBehalf, ...reportedBy(ctx) });
  const label = rowLabel(ref, row.occurrence);
  const unit = targetUnit(target);
  if (!completed) {
    const first = reportById(ctx.db, row.doneReportId!)!;
    return { kind: 'history', text: text.alreadyDone(unit, label, shanghaiDate(new Date(first.at))) };
  }
  const late = row.due === null ? 0 : Math.max(0, ctx.calendar.workdaysBetween(row.due, ctx.today));
  const when = row.due === null ? '' : late > 0 ? text.late(late) : text.onTime;
  return { kind: 'recorded', unit, label, when, link };
}

/**
 * 完成 T5 [单位] [链接…], or several items at once. As many links as items pair up in order;
 * otherwise the first link is every item's evidence and the others go into the note.
 */
const doneCommand: Handler<Done> = (cmd, ctx) => {
  const paired = cmd.refs.length > 1 && cmd.links.length === cmd.refs.length;
  const extra = paired ? [] : cmd.links.slice(1);
  const note = [cmd.note, extra.length ? inputText.otherLinks(extra) : null].filter(Boolean).join('；') || null;
  const outcomes = cmd.refs.map((ref, i) => complete(ctx, ref, cmd, (paired ? cmd.links[i] : cmd.links[0]) ?? null, note));
  const extraNote = extra.length ? inputText.otherLinksStored(extra) : '';
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

export const doneSpec: CommandSpec<'done'> = {
  name: 'done',
  words: ['已完成', '完成', 'done', '/done'],
  access: 'reporter',
  parse: (rest, lookup) => parseDone(rest, lookup),
  handle: doneCommand,
};
