import { and } from 'drizzle-orm';
import { forUnit, ledgerRows, openOnly, type LedgerRow } from '../../db/status.js';
import { text, timeLeft } from '../messages.js';
import type { Command } from '../parse.js';
import type { CommandContext, Handler } from './context.js';
import { rowLabel } from './target.js';

const LIMIT = 10;
export const shortText = (s: string, n = 20) => {
  const t = s.replace(/[。；，]$/, '');
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

/**
 * The open rows of a unit as chat lines, earliest due first: items one by one, and the
 * quarterly self-checks of 长期坚持 tasks and of the 常态化 checklist counted per due date.
 */
export function openLines(ctx: CommandContext, rows: LedgerRow[]): { lines: string[]; undated: number } {
  const dated = rows.filter((r) => r.due !== null).sort((a, b) => a.due!.localeCompare(b.due!) || a.id - b.id);
  const ongoing = new Map<string, { refs: string[]; checklist: number }>();
  const lines: { due: string; line: string }[] = [];
  const left = (due: string) => timeLeft(ctx.calendar.workdaysBetween(ctx.today, due));
  for (const r of dated) {
    if (r.ruleType === 'ongoing') {
      const group = ongoing.get(r.due!) ?? { refs: [], checklist: 0 };
      if (r.kind === 'checklist') group.checklist++;
      else group.refs.push(r.ref);
      ongoing.set(r.due!, group);
      continue;
    }
    lines.push({ due: r.due!, line: text.taskLine(rowLabel(r.ref, r.occurrence), shortText(r.text), r.due!, left(r.due!)) });
  }
  for (const [due, g] of ongoing) {
    if (g.refs.length) lines.push({ due, line: text.tasksOngoing(g.refs, due, left(due)) });
    if (g.checklist) lines.push({ due, line: text.tasksChecklist(g.checklist, due, left(due)) });
  }
  lines.sort((a, b) => a.due.localeCompare(b.due));
  return { lines: lines.map((l) => l.line), undated: rows.length - dated.length };
}

/** 我的任务: each of the liaison's units with its open items, overdue first. */
export const tasksCommand: Handler<Extract<Command, { name: 'tasks' }>> = (cmd, ctx) => {
  const parts = ctx.bindings.map((b) => {
    const { lines, undated } = openLines(ctx, ledgerRows(ctx.db, ctx.plan.id, and(forUnit(b.unitId), openOnly)));
    if (lines.length === 0 && undated === 0) return text.tasksNone(b.unit);
    const shown = cmd.all ? lines : lines.slice(0, LIMIT);
    const out = [text.tasksHeader(b.unit, ctx.today), ...shown];
    if (shown.length < lines.length) out.push(text.tasksMore(lines.length - shown.length));
    if (undated) out.push(text.tasksEventDriven(undated));
    return out.join('\n');
  });
  return { text: parts.join('\n\n') };
};
