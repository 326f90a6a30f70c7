// Start-up probe: the bot launched as `npm start` launches it (a fresh ledger migrated and
// imported, the scheduler set), on the mock puppet, logged in. Prints how long the process took
// to get here and its peak RSS, as JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock } from '../bot/runtime/clock.js';
import { configSchema } from '../bot/runtime/config.js';
import { launch } from '../bot/runtime/launch.js';
import { silentLog } from '../bot/runtime/log.js';
import { MockChat } from '../bot/cli/mock-chat.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
const config = configSchema.parse({ channel: 'wechaty', botName: 'bench', coordinators: [{ name: '张主任' }], rooms: ['政务公开联络群'], dbPath: join(dir, 'ledger.db') });
const chat = new MockChat(() => realClock.now());
const { bot, stop } = await launch(config, { log: silentLog, clock: realClock, puppet: chat.puppet });
await bot.start();
const ready = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
chat.login();
await ready;
process.stdout.write(`${JSON.stringify({ ms: process.uptime() * 1000, rss: process.resourceUsage().maxRSS * 1024 })}\n`);
await stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
