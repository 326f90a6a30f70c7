import { parseArgs } from 'node:util';
import { realClock } from './clock.js';
import { configPath, loadConfig } from './config.js';
import { LedgerError } from '../../db/open.js';
import { launch } from './launch.js';
import { createLogger } from './log.js';
import { ChannelUnavailable } from '../core/ports.js';
import { UserError } from './setup.js';

// `npm start`: the one place that reads the process's arguments, environment and clock.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const config = loadConfig(configPath(values.config, process.env).path, process.env);
  const log = createLogger(config.logLevel);
  const { bot, stop } = await launch(config, { log, clock: realClock, onLost: () => process.exit(1) });
  const stopOn = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await stop().catch((err) => log.error({ err }, 'stop failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stopOn('SIGINT'));
  process.once('SIGTERM', () => void stopOn('SIGTERM'));
  // "started" only once connected: a channel that cannot connect says so and retries
  bot.once('ready', () => log.info({ channel: bot.channel.name }, 'bot started'));
  log.info({ channel: bot.channel.name }, 'connecting');
  // a channel that cannot start at all: the ledger is released before the sentence is said
  await bot.start().catch(async (err) => {
    await stop().catch(() => {});
    throw err;
  });
}

// what the user can fix is one sentence; only a bug shows its stack
function sentence(err: unknown): string | undefined {
  if (err instanceof UserError || err instanceof ChannelUnavailable) return err.message;
  if (err instanceof LedgerError) return `${err.message}.`;
  if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return `${(err as Error).message.split('. ')[0]!.replace(/\.$/, '')}; npm start takes only --config FILE.`;
  return undefined;
}

main().catch((err) => {
  console.error(sentence(err) ?? err);
  process.exit(1);
});
