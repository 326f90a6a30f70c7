import { privateDir } from '../../../db/files.js';
import { join } from 'node:path';
import { exportText } from '../text/messages.js';
import type { CommandSpec, Handler } from './context.js';

/** /export (coordinators): the ledger workbook, written to the export folder and sent to the coordinator only. */
const exportCommand: Handler = async (_cmd, ctx) => {
  if (ctx.fileRoute === null) return { text: exportText.noPrivateRoute };
  privateDir(ctx.exportDir);
  const path = join(ctx.exportDir, `工作台账-${ctx.plan.year}-${ctx.today}.xlsx`);
  const { writeLedgerXlsx } = await import('../ledger/xlsx.js'); // exceljs loads only when needed
  await writeLedgerXlsx(path, ctx.db, ctx.plan, ctx.calendar, ctx.today, undefined, ctx.actor.name); // who exports it is its 联系人
  return { text: exportText.exportReady(ctx.fileRoute), file: path };
};

export const exportSpec: CommandSpec<'export'> = {
  name: 'export',
  words: ['导出台账', '/export'],
  access: 'coordinator',
  parse: () => ({ name: 'export' }),
  handle: exportCommand,
};
