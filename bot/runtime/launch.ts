import cron from 'node-cron';
import { openLedger } from '../../db/open.js';
import { UnitResolver } from '../../seeds/units.js';
import { ZONE } from '../../schedules/clock.js';
import type { Clock, Logger } from '../core/ports.js';
import { LiaisonBot } from './bot.js';
import { createChannel, createRoundsChannel, type Puppet } from './channels.js';
import type { Config } from './config.js';
import { ensurePlan, loadCalendar, loadDirectory } from './setup.js';

/**
 * The running bot put together from its config: the ledger opened (created and migrated on
 * first use), the shipped plan imported into an empty one, the channel built, the bot wired to
 * it and node-cron ticking. `npm start` runs it on the configured channel; the start-up bench
 * on the mock puppet.
 */
export async function launch(config: Config, deps: { log: Logger; clock: Clock; puppet?: Puppet }): Promise<{ bot: LiaisonBot; stop: () => Promise<void> }> {
  const { log, clock } = deps;
  const channel = await createChannel(config, log, deps.puppet, clock);
  const rounds = await createRoundsChannel(config, clock);
  const db = openLedger(config.dbPath);
  const directory = loadDirectory(config.unitsPath);
  const calendar = loadCalendar(config.holidaysPath);
  const imported = ensurePlan(db, config.planPath, directory, calendar, clock.now().toISOString());
  if (imported) log.info({ year: imported.year, tasks: imported.tasks, checklist: imported.checklist }, 'imported the plan into the empty ledger');
  const bot = new LiaisonBot({ db, calendar, resolver: new UnitResolver(directory), clock, config, log, channel, rounds });
  // node-cron only ticks; what is due is decided from the ledger at each tick
  const task = cron.schedule('* * * * *', () => void bot.tick().catch((err) => log.error({ err }, 'tick failed')), { timezone: ZONE });
  // no new ticks; what is queued stays in the outbox for the next start
  const stop = async () => {
    await task.stop();
    await bot.stop();
    db.$client.close();
  };
  return { bot, stop };
}
