import { dropPendingImport, pendingImport } from '../../../db/pending-imports.js';
import { previewPlan } from '../../../schedules/preview.js';
import { importText } from '../text/import.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/**
 * 确认导入 / 取消导入 (coordinators): the plan this coordinator sent in chat is imported (units
 * not found stay to be assigned) or dropped. The import, the pending row's removal and the
 * answer are one transaction.
 */
const planImportCommand: Handler<Extract<Command, { name: 'planImport' }>> = (cmd, ctx) => {
  const channel = ctx.where?.channel ?? '';
  const pending = pendingImport(ctx.db, channel, ctx.actor.contactId);
  if (!pending || !ctx.plans) return { text: importText.nothingPending };
  dropPendingImport(ctx.db, channel, ctx.actor.contactId);
  if (!cmd.confirm) return { text: importText.cancelled(pending.fileName) };
  const imported = ctx.plans.save(ctx.db, pending.read, ctx.now.toISOString());
  return { text: importText.imported(pending.fileName, imported, previewPlan(pending.read, ctx.calendar).unresolved.length) };
};

export const planImportSpec: CommandSpec<'planImport'> = {
  name: 'planImport',
  words: ['确认导入', '取消导入'],
  access: 'coordinator',
  parse: (_rest, _lookup, word) => ({ name: 'planImport', confirm: word === '确认导入' }),
  handle: planImportCommand,
};
