import { parseArgs } from 'node:util';
import { openLedger } from '../db/open.js';
import { UnitResolver } from '../seeds/units.js';
import cron from 'node-cron';
import { ZONE } from '../schedules/clock.js';
import { LiaisonBot, type Logger } from './app.js';
import { realClock } from './clock.js';
import { loadConfig } from './config.js';
import { ensurePlan, loadCalendar, loadDirectory, UserError } from './setup.js';

// `npm start`: the bot's composition root, the one place that reads the process's
// arguments, environment and clock.
const json = (obj: object) => JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message, code: (v as NodeJS.ErrnoException).code } : v));
const consoleLog: Logger = {
  info: (obj, msg) => console.log(new Date().toISOString(), 'INFO', msg ?? '', json(obj)),
  warn: (obj, msg) => console.warn(new Date().toISOString(), 'WARN', msg ?? '', json(obj)),
  error: (obj, msg) => console.error(new Date().toISOString(), 'ERROR', msg ?? '', json(obj)),
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', default: process.env.LIAISON_CONFIG ?? 'config.json' } } });
  const config = loadConfig(values.config!, process.env);
  const db = openLedger(config.dbPath);
  const directory = loadDirectory(config.unitsPath);
  const calendar = loadCalendar(config.holidaysPath);
  const imported = ensurePlan(db, config.planPath, directory, calendar, realClock.now().toISOString());
  if (imported) consoleLog.info({ year: imported.year, tasks: imported.tasks, checklist: imported.checklist }, 'imported the plan into the empty ledger');
  const bot = new LiaisonBot({ db, calendar, resolver: new UnitResolver(directory), clock: realClock, config, log: consoleLog });
  // node-cron only ticks; what is due is decided from the ledger at each tick
  const task = cron.schedule('* * * * *', () => void bot.tick().catch((err) => consoleLog.error({ err }, 'tick failed')), { timezone: ZONE });
  const stop = async () => {
    await task.stop();
    await bot.stop();
    db.$client.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await bot.start();
  consoleLog.info({ puppet: config.puppet, rooms: config.rooms }, 'bot started');
}

main().catch((err) => {
  console.error(err instanceof UserError ? err.message : err);
  process.exit(1);
});
