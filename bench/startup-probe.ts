// Start-up probe: a fresh ledger migrated and imported, the scheduler set, the bot on the mock
// puppet logged in. Prints how long the process took to get here and its peak RSS, as JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cron from 'node-cron';
import { LiaisonBot } from '../bot/app.js';
import { realClock } from '../bot/clock.js';
import { configSchema } from '../bot/config.js';
import { MockChat } from '../bot/mock-chat.js';
import { ensurePlan, loadCalendar, loadDirectory } from '../bot/setup.js';
import { openLedger } from '../db/open.js';
import { seedFiles } from '../seeds/files.js';
import { UnitResolver } from '../seeds/units.js';
import { ZONE } from '../schedules/clock.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
const db = openLedger(join(dir, 'ledger.db'));
const directory = loadDirectory(seedFiles.units);
const calendar = loadCalendar(seedFiles.holidays);
ensurePlan(db, seedFiles.plan, directory, calendar, realClock.now().toISOString());
const config = configSchema.parse({ botName: 'bench', coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'] });
const chat = new MockChat(() => realClock.now());
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const bot = new LiaisonBot({ db, calendar, resolver: new UnitResolver(directory), clock: realClock, config, log: quiet, puppet: chat.puppet });
const task = cron.schedule('* * * * *', () => void bot.tick(), { timezone: ZONE });
await bot.start();
const ready = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
chat.login();
await ready;
process.stdout.write(`${JSON.stringify({ ms: process.uptime() * 1000, rss: process.resourceUsage().maxRSS * 1024 })}\n`);
await task.stop();
await bot.stop();
db.$client.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
