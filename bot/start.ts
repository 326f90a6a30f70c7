import { parseArgs } from 'node:util';
import { openLedger } from '../db/open.js';
import { UnitResolver } from '../seeds/units.js';
import cron from 'node-cron';
import { ZONE } from '../schedules/clock.js';
import { LiaisonBot } from './app.js';
import { createLogger } from './log.js';
import { realClock } from './clock.js';
import { loadConfig } from './config.js';
import { ensurePlan, loadCalendar, loadDirectory, UserError } from './setup.js';

// `npm start`: the bot's composition root, the one place that reads the process's
// arguments, environment and clock.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', default: process.env.LIAISON_CONFIG ?? 'config.json' } } });
  const config = loadConfig(values.config!, process.env);
  const log = createLogger(config.logLevel);
  const db = openLedger(config.dbPath);
  const directory = loadDirectory(config.unitsPath);
  const calendar = loadCalendar(config.holidaysPath);
  const imported = ensurePlan(db, config.planPath, directory, calendar, realClock.now().toISOString());
  if (imported) log.info({ year: imported.year, tasks: imported.tasks, checklist: imported.checklist }, 'imported the plan into the empty ledger');
  const bot = new LiaisonBot({ db, calendar, resolver: new UnitResolver(directory), clock: realClock, config, log });
  // node-cron only ticks; what is due is decided from the ledger at each tick
  const task = cron.schedule('* * * * *', () => void bot.tick().catch((err) => log.error({ err }, 'tick failed')), { timezone: ZONE });
  // graceful stop: no new ticks, what is queued stays in the outbox for the next start
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await task.stop();
    await bot.stop();
    db.$client.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await bot.start();
  log.info({ puppet: config.puppet, rooms: config.rooms }, 'bot started');
}

main().catch((err) => {
  console.error(err instanceof UserError ? err.message : err);
  process.exit(1);
});
