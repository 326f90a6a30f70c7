import { helpHeader, helpLines } from '../text/messages.js';
import type { CommandSpec, Handler } from './context.js';
// the registry imports this module too; it is read only when someone asks for help
import { commands } from './index.js';

/** 帮助 / /help: the commands this person may use, from the registry, in its order. */
const helpCommand: Handler = (_cmd, ctx) => {
  const names = Object.keys(commands) as (keyof typeof commands)[];
  const section = (who: 'liaison' | 'coordinator') => [helpHeader[who], ...names.flatMap((n) => helpLines[n]?.[who] ?? [])].join('\n');
  return { text: [section('liaison'), ...(ctx.isCoordinator ? [section('coordinator')] : []), ...(ctx.atOnly ? [helpHeader.atBot] : [])].join('\n\n') };
};

export const helpSpec: CommandSpec<'help'> = {
  name: 'help',
  words: ['帮助', '菜单', '/help'],
  access: 'anyone',
  parse: () => ({ name: 'help' }),
  handle: helpCommand,
};
