import { join } from 'node:path';
import { openLedger } from '../db/open.js';
import { LiaisonBot } from '../bot/app.js';
import { configSchema } from '../bot/config.js';
import { MockChat } from '../bot/mock-chat.js';
import { VirtualClock } from '../bot/clock.js';
import { silentLog } from '../bot/log.js';
import { ensurePlan } from '../bot/setup.js';
import { seedFiles } from '../seeds/files.js';
import { calendar, directory, resolver, tempDir } from './helpers.js';

export const ROOM = '政务公开联络群';
export const COORDINATOR = '张主任';

/** A real LiaisonBot on wechaty-puppet-mock, a fresh ledger with the 2023 plan, and a settable clock. */
export async function startBot(at = '2023-08-21T02:00:00Z') {
  const db = openLedger(join(tempDir(), 'ledger.db'));
  ensurePlan(db, seedFiles.plan, directory, calendar, at);
  const clock = new VirtualClock(new Date(at));
  const config = configSchema.parse({
    botName: `test-${Math.random().toString(36).slice(2)}`,
    coordinators: [{ name: COORDINATOR }],
    rooms: [ROOM],
    exportDir: join(tempDir(), 'exports'),
  });
  const chat = new MockChat(() => clock.now());
  const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, puppet: chat.puppet, random: () => 0.5 });
  await bot.start();
  const loggedIn = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
  chat.login();
  await loggedIn;
  chat.member(COORDINATOR, COORDINATOR);
  chat.join(COORDINATOR, ROOM);
  const say = (name: string, text: string, topic: string | null = ROOM) => chat.say(bot, name, text, topic);
  const texts = async (name: string, text: string, topic: string | null = ROOM) => (await say(name, text, topic)).map((l) => l.text);
  const stop = async () => {
    await bot.stop();
    db.$client.close();
  };
  return { db, chat, bot, clock, say, texts, stop };
}
