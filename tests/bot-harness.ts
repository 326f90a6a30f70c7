import { join } from 'node:path';
import type { FileBox } from 'file-box';
import { openLedger } from '../db/open.js';
import { LiaisonBot } from '../bot/runtime/bot.js';
import { configSchema } from '../bot/runtime/config.js';
import { MockChat } from '../bot/cli/mock-chat.js';
import { VirtualClock } from '../bot/runtime/clock.js';
import { silentLog } from '../bot/runtime/log.js';
import { ensurePlan } from '../bot/runtime/setup.js';
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
  const channel = chat.channel(config.rooms, silentLog, join(tempDir(), 'inbox-files'));
  const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, channel, random: () => 0.5 });
  await bot.start();
  const loggedIn = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
  chat.login();
  await loggedIn;
  chat.member(COORDINATOR, COORDINATOR);
  chat.join(COORDINATOR, ROOM);
  // the bot learns where the coordinator is from what they say (chatter, not for the bot)
  await chat.say(channel, COORDINATOR, '大家好', ROOM);
  const say = (name: string, text: string | FileBox, topic: string | null = ROOM) => chat.say(channel, name, text, topic);
  const texts = async (name: string, text: string | FileBox, topic: string | null = ROOM) => (await say(name, text, topic)).map((l) => l.text);
  const stop = async () => {
    await bot.stop();
    db.$client.close();
  };
  return { db, chat, bot, channel, clock, say, texts, stop };
}
