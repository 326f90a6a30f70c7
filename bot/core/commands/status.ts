import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir, writeWhole } from '../../../db/files.js';
import { takeRef, unitArg, unknownUnit } from './args.js';
import { unitByName } from '../../../db/liaisons.js';
import { itemByRef } from '../../../db/reports.js';
import { forItem, forUnit, ledgerRows, rowStatus, unassignedOpen, unitSummaries, type LedgerRow } from '../../../db/status.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { exportRows, isSelfCheck, unitFigures } from '../ledger/export.js';
import { ledgerText } from '../text/ledger.js';
import { exportText, text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandContext, CommandSpec, Handler, Reply } from './context.js';
import { openLines, rowLabel } from '../reminders/lines.js';

// the county fits one screen: totals and the worst units; 「/status 全部」 lists every unit
const WORST = 10;

function county(ctx: CommandContext, all: boolean): string {
  const units = unitSummaries(ctx.db, ctx.plan.id, ctx.today, ctx.plan.issueDate);
  const sum = (k: 'overdue' | 'done' | 'total') => units.reduce((n, u) => n + u[k], 0);
  const lines = [text.countyHeader(ctx.today, units.length, sum('overdue'), sum('done'), sum('total'))];
  const shown = all ? units : units.slice(0, WORST);
  for (const u of shown) lines.push(text.countyLine(u.unit, u.overdue, u.done, u.total, u.onTime));
  if (shown.length < units.length) lines.push(text.countyMore(units.length - shown.length));
  const unassigned = ledgerRows(ctx.db, ctx.plan.id, unassignedOpen);
  if (unassigned.length) lines.push(text.countyUnassigned([...new Set(unassigned.map((r) => r.ref))]));
  return lines.join('\n');
}

function unit(ctx: CommandContext, unitId: number, name: string): string {
  const rows = ledgerRows(ctx.db, ctx.plan.id, forUnit(unitId));
  const status = (r: LedgerRow) => rowStatus(r, ctx.today, ctx.plan.issueDate);
  const count = (s: string) => rows.filter((r) => status(r) === s).length;
  const lines = [text.unitHeader(name, ctx.today, count('overdue'), count('pending'), count('done'))];
  const overdue = openLines(ctx.calendar, ctx.today, rows.filter((r) => status(r) === 'overdue')).lines;
  if (overdue.length) lines.push(text.unitOverdue, ...overdue.slice(0, 10));
  const next = openLines(ctx.calendar, ctx.today, rows.filter((r) => status(r) === 'pending')).lines;
  if (next.length) lines.push(text.unitNext, ...next.slice(0, 5));
  return lines.join('\n');
}

function rowState(ctx: CommandContext, r: LedgerRow): string {
  switch (rowStatus(r, ctx.today, ctx.plan.issueDate)) {
    case 'done':
      return text.stateDone(shanghaiDate(new Date(r.doneAt!)), r.evidence);
    case 'overdue':
      return text.stateOverdue(r.due!);
    case 'unassigned':
      return text.stateUnassigned(r.unassignedLabel);
    case 'notApplicable':
      return text.stateNotApplicable(r.due!);
    case 'pending':
      return text.statePending(r.due);
  }
}

function item(ctx: CommandContext, ref: string, ownUnits: number[] | null): string {
  const found = itemByRef(ctx.db, ctx.plan.id, ref);
  if (!found) return text.unknownRef(ref);
  const rows = ledgerRows(ctx.db, ctx.plan.id, forItem(found.id)).filter((r) => ownUnits === null || ownUnits.includes(r.unitId ?? -1));
  if (rows.length === 0) return text.notYourItem(ref);
  const lines = [text.itemHeader(ref, found.text, found.deadlineText || '常态化')];
  for (const r of rows) {
    const who = r.unit ?? r.unassignedLabel ?? '';
    lines.push(text.itemLine(`${who}${rowLabel('', r.occurrence)}`, rowState(ctx, r)));
  }
  return lines.join('\n');
}

/** 查询 图 (coordinators): each unit's tasks as a bar chart (PNG), numbered as the reply lists them. */
async function chart(ctx: CommandContext): Promise<Reply> {
  if (!ctx.isCoordinator) return { text: ledgerText.chartCoordinatorOnly };
  // the county's figures go where /export's workbook goes, never into the liaisons' group
  if (ctx.fileRoute === null) return { text: exportText.noPrivateRoute };
  const figures = unitFigures(exportRows(ctx.db, ctx.plan, ctx.calendar, ctx.today).filter((r) => !isSelfCheck(r)));
  if (figures.length === 0) return { text: ledgerText.chartNothing };
  const { completionChartPng } = await import('../ledger/chart.js'); // resvg loads only when drawing
  privateDir(ctx.exportDir);
  const path = join(ctx.exportDir, `完成情况-${ctx.plan.year}-${ctx.today}.png`);
  await writeWhole(path, (tmp) => writeFileSync(tmp, completionChartPng(figures).png));
  const lines = figures.map((f, i) => ledgerText.chartLine(i + 1, f.unit, f.done, f.items));
  return { text: ledgerText.chartReady(ctx.today, lines, ctx.fileRoute), file: path };
}

/** /status: the county (coordinators), one unit, or one item (详情 T5: its full text); a liaison sees only their units. */
const statusCommand: Handler<Extract<Command, { name: 'status' }>> = (cmd, ctx) => {
  if (cmd.chart) return chart(ctx);
  const own = ctx.isCoordinator ? null : ctx.bindings.map((b) => b.unitId);
  if (cmd.ref) return { text: item(ctx, cmd.ref, own) };
  if (cmd.unit) {
    const u = unitByName(ctx.db, cmd.unit)!;
    if (own && !own.includes(u.id)) return { text: text.statusOnlyOwn };
    return { text: unit(ctx, u.id, u.name) };
  }
  if (ctx.isCoordinator) return { text: county(ctx, cmd.all) };
  if (ctx.bindings.length === 0) return { text: text.notBound };
  return { text: ctx.bindings.map((b) => unit(ctx, b.unitId, b.unit)).join('\n\n') };
};

export const statusSpec: CommandSpec<'status'> = {
  name: 'status',
  words: ['查询', '查一下', '查看', '进度', '详情', '/status'],
  unitArg: true,
  access: 'anyone',
  parse: (rest, lookup) => {
    const none = { name: 'status', unit: null, ref: null, all: false, chart: false } as const;
    if (!rest || /^(全部|所有|all)$/i.test(rest)) return { ...none, all: !!rest };
    if (/^(图|图表|chart)$/i.test(rest)) return { ...none, chart: true };
    const ref = takeRef(rest);
    if (ref && !ref.rest) return { ...none, ref: ref.ref };
    const written = unitArg(rest, lookup);
    const unit = lookup(written);
    return unit ? { ...none, unit } : unknownUnit('status', written, lookup);
  },
  handle: statusCommand,
};
