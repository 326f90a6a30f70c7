import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron from 'node-cron';
import { releaseLease, takeLease, type LeaseHolder } from '../../db/lease.js';
import { openLedger, type Ledger } from '../../db/open.js';
import { UnitResolver } from '../../seeds/units.js';
import { ZONE } from '../../schedules/clock.js';
import type { Clock, Logger } from '../core/ports.js';
import { LiaisonBot } from './bot.js';
import { createChannel, createRoundsChannel, type Puppet } from './channels.js';
import type { Config } from './config.js';
import { ensurePlan, loadCalendar, loadDirectory, UserError } from './setup.js';

/** The lease lasts this long; the bot renews it every minute, so a dead bot's lease soon expires. */
const LEASE_MS = 3 * 60_000;

/** One bot per ledger: takes (or renews) the lease; a sentence naming the holder when another has it. */
function holdLedger(db: Ledger, path: string, me: LeaseHolder, clock: Clock): string | null {
  const held = takeLease(db, me, clock.now(), LEASE_MS);
  return held && `Another bot (pid ${held.pid} on ${held.host}, since ${held.acquiredAt}) is using the ledger ${path}; stop it first, or give this one its own ledger (dbPath).`;
}

/**
 * The running bot put together from its config: the ledger opened (created and migrated on
 * first use), the shipped plan imported into an empty one, the channel built, the bot wired to
 * it and node-cron ticking. `npm start` runs it on the configured channel; the start-up bench
 * on the mock puppet.
 */
export async function launch(
  config: Config,
  deps: { log: Logger; clock: Clock; puppet?: Puppet; onLost?: () => void },
): Promise<{ bot: LiaisonBot; stop: () => Promise<void> }> {
  const { log, clock } = deps;
  const channel = await createChannel(config, log, deps.puppet, clock);
  const rounds = await createRoundsChannel(config, clock);
  // the files first: a bad one stops start-up before the ledger is held
  const directory = loadDirectory(config.unitsPath);
  const calendar = loadCalendar(config.holidaysPath);
  const db = openLedger(config.dbPath);
  const me: LeaseHolder = { holder: randomUUID(), pid: process.pid, host: hostname() };
  const refused = holdLedger(db, config.dbPath, me, clock);
  if (refused) {
    db.$client.close();
    throw new UserError(refused);
  }
  let imported;
  try {
    imported = ensurePlan(db, config.planPath, directory, calendar, clock.now().toISOString());
  } catch (err) {
    // a failed start leaves the ledger free for the next one, not held for the lease's minutes
    releaseLease(db, me);
    db.$client.close();
    throw err;
  }
  if (imported) log.info({ year: imported.year, tasks: imported.tasks, checklist: imported.checklist }, 'imported the plan into the empty ledger');
  const bot = new LiaisonBot({ db, calendar, resolver: new UnitResolver(directory), clock, config, log, channel, rounds });
  // node-cron only ticks; what is due is decided from the ledger at each tick
  const task = cron.schedule(
    '* * * * *',
    () => {
      const lost = holdLedger(db, config.dbPath, me, clock);
      if (lost) {
        // another bot took over a lease this one let lapse (the process was stalled): stand down
        log.error({ reason: lost }, 'lost the ledger to another bot; stopping');
        void stop()
          .catch((err) => log.error({ err }, 'stop failed'))
          .finally(deps.onLost);
        return;
      }
      void bot.tick().catch((err) => log.error({ err }, 'tick failed'));
    },
    { timezone: ZONE },
  );
  // no new ticks; what is queued stays in the outbox for the next start
  const stop = async () => {
    await task.stop();
    await bot.stop();
    releaseLease(db, me);
    db.$client.close();
  };
  return { bot, stop };
}
