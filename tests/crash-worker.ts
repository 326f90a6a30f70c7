// A bot process for the crash test: a stream of reports and daily rounds on a real ledger.
// Prints READY, then ACK i after the bot answered report i, and SENT <where> <line> for each digest
// (the group's and the private one share their first line).
// Usage: node --import tsx tests/crash-worker.ts LEDGER FIRST LAST
import { LiaisonBot } from '../bot/runtime/bot.js';
import { VirtualClock } from '../bot/runtime/clock.js';
import { configSchema } from '../bot/runtime/config.js';
import { MockChat } from '../bot/cli/mock-chat.js';
import { silentLog } from '../bot/runtime/log.js';
import { ensurePlan, loadDirectory } from '../bot/runtime/setup.js';
import { approvedBindings, decideRequest, requestBinding, unitByName } from '../db/liaisons.js';
import { openLedger } from '../db/open.js';
import { seedFiles } from '../seeds/files.js';
import { fromShanghai } from '../schedules/clock.js';
import { UnitResolver } from '../seeds/units.js';
import { officialCalendar } from '../schedules/official.js';

// not tests/helpers.ts: this is a plain process, outside vitest
const calendar = officialCalendar();
const directory = loadDirectory(seedFiles.units);
const resolver = new UnitResolver(directory);

const [path, first, last] = process.argv.slice(2);
const db = openLedger(path!);
ensurePlan(db, seedFiles.plan, directory, calendar, '2023-08-10T01:00:00Z');
if (approvedBindings(db, 'c-wang').length === 0) {
  const r = requestBinding(db, { contactId: 'c-wang', name: '王芳', unitId: unitByName(db, '县民政局')!.id, now: '2023-08-10T01:00:00Z' });
  decideRequest(db, r.binding.id, 'approved', '张主任', '2023-08-10T01:00:00Z');
}
const day = (i: number) => calendar.workdaysAfter('2023-08-10', i).date;
const clock = new VirtualClock(fromShanghai(`${day(Number(first))} 08:00`)!);
const chat = new MockChat(() => clock.now());
// overdue items listed in every round: a private digest most days, with daily keys to keep exactly once
const config = configSchema.parse({
  botName: 'crash',
  coordinators: [{ name: '张主任' }],
  rooms: ['政务公开联络群'],
  reminders: { overdueDetail: 'daily' },
  outbox: { minGapMs: 0, jitterMs: 0 },
});
const channel = chat.channel(config.rooms, silentLog);
const bot = new LiaisonBot({ db, calendar, resolver, clock, config, log: silentLog, channel, random: () => 0 });
chat.puppet.on('message', ({ messageId }) => {
  const line = chat.lines.find((l) => l.messageId === messageId);
  if (line?.who === 'bot' && line.text.startsWith('【政务公开提醒】')) process.stdout.write(`SENT ${line.room ?? 'private'} ${line.text.split('\n')[0]}\n`);
});
chat.member('王芳', undefined, 'c-wang');
chat.member('张主任', '张主任', 'c-coord');
chat.join('张主任', '政务公开联络群');
await bot.start();
const ready = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
chat.login();
await ready;
process.stdout.write('READY\n');
for (let i = Number(first); i <= Number(last); i++) {
  clock.set(fromShanghai(`${day(i)} 09:00`)!);
  await bot.tick();
  clock.set(fromShanghai(`${day(i)} 10:00`)!);
  const replies = await chat.say(channel, '王芳', `进展 T12 note-${i}`, '政务公开联络群');
  if (replies.some((r) => r.text.includes('已记录'))) process.stdout.write(`ACK ${i}\n`);
}
await bot.stop();
db.$client.close();
process.stdout.write('DONE\n');
