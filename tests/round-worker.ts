// One of two bot processes racing for the same day's round on one ledger (tests/two-processes):
// prints each message it sends as `SENT <first line> -> <conversation>`, then DONE.
import { LiaisonBot } from '../bot/runtime/bot.js';
import { VirtualClock } from '../bot/runtime/clock.js';
import { configSchema } from '../bot/runtime/config.js';
import { silentLog } from '../bot/runtime/log.js';
import type { Capabilities, Channel, ChannelEvents, Envelope } from '../bot/core/ports.js';
import { openLedger } from '../db/open.js';
import { fromShanghai } from '../schedules/clock.js';
import { officialCalendar } from '../schedules/official.js';
import { loadDirectory } from '../bot/runtime/setup.js';
import { seedFiles } from '../seeds/files.js';
import { UnitResolver } from '../seeds/units.js';

// not tests/helpers.ts: this is a plain process, outside vitest
const calendar = officialCalendar();
const resolver = new UnitResolver(loadDirectory(seedFiles.units));

const [path, day] = process.argv.slice(2);
const db = openLedger(path!);

/** Writes what it sends to standard output; the outbox row id is the message's identity. */
class StdoutChannel implements Channel {
  readonly name = 'fake';
  readonly capabilities: Capabilities = { hearsAllGroupMessages: true, mentionsById: true, files: true, privateMessages: true, perMinute: 6000 };
  connected = false;
  async start(events: ChannelEvents): Promise<void> {
    this.connected = true;
    await events.connected();
  }
  async stop(): Promise<void> {
    this.connected = false;
  }
  async send(e: Envelope): Promise<void> {
    process.stdout.write(`SENT ${e.parts.join('').split('\n')[0]} -> ${e.conversation.id}\n`);
  }
}

const config = configSchema.parse({ coordinators: [{ name: '张主任', contactId: 'c-coord' }], outbox: { minGapMs: 0, jitterMs: 0 } });
const clock = new VirtualClock(fromShanghai(`${day} 09:00`)!);
const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, channel: new StdoutChannel(), random: () => 0 });
// connecting runs the tick: the day's round, if this process claims it
await bot.start();
await bot.outbox.drain();
await bot.stop();
db.$client.close();
process.stdout.write('DONE\n');
