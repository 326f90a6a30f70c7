import { parseArgs } from 'node:util';
import { realClock } from './clock.js';
import { loadConfig } from './config.js';
import { launch } from './launch.js';
import { createLogger } from './log.js';
import { ChannelUnavailable } from '../core/ports.js';
import { UserError } from './setup.js';

// `npm start`: the one place that reads the process's arguments, environment and clock.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', default: process.env.LIAISON_CONFIG ?? 'config.json' } } });
  const config = loadConfig(values.config!, process.env);
  const log = createLogger(config.logLevel);
  const { bot, stop } = await launch(config, { log, clock: realClock, onLost: () => process.exit(1) });
  const stopOn = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stopOn('SIGINT'));
  process.once('SIGTERM', () => void stopOn('SIGTERM'));
  // "started" only once connected: a channel that cannot connect says so and retries
  bot.once('ready', () => log.info({ channel: bot.channel.name }, 'bot started'));
  log.info({ channel: bot.channel.name }, 'connecting');
  await bot.start();
}

main().catch((err) => {
  console.error(err instanceof UserError || err instanceof ChannelUnavailable ? err.message : err);
  process.exit(1);
});
