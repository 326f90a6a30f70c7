import type { Ledger } from '../../db/open.js';
import type { UnitResolver } from '../../seeds/units.js';
import type { WorkCalendar } from '../../schedules/calendar.js';
import { addDays } from '../../schedules/calendar.js';
import { fromShanghai, shanghaiDate, shanghaiTime } from '../../schedules/clock.js';
import type { WechatyChannel } from '../channels/wechaty/index.js';
import { LiaisonBot, type Logger } from '../runtime/bot.js';
import { VirtualClock } from '../runtime/clock.js';
import { configSchema } from '../runtime/config.js';
import { MockChat, type ChatLine } from './mock-chat.js';
import { UserError } from '../runtime/setup.js';

export const DEFAULT_ROOM = '政务公开联络群';

/** One line of a transcript, understood. */
type Step =
  | { kind: 'coordinator'; name: string }
  | { kind: 'room'; topic: string }
  | { kind: 'at'; instant: Date; text: string }
  | { kind: 'say'; name: string; text: string; private: boolean }
  | { kind: 'restart' | 'logout' | 'login' | 'relogin-new-ids' };

type Numbered = Step & { line: number };

/** Reads a transcript; an unknown instruction stops it with its line number. */
export function parseTranscript(source: string): Numbered[] {
  const steps: Numbered[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    let m: RegExpExecArray | null;
    if ((m = /^!\s*coordinator\s+(\S.*)$/.exec(text))) steps.push({ kind: 'coordinator', name: m[1]!.trim(), line });
    else if ((m = /^!\s*room\s+(\S.*)$/.exec(text))) steps.push({ kind: 'room', topic: m[1]!.trim(), line });
    else if ((m = /^!\s*(restart|logout|login|relogin-new-ids)$/.exec(text))) steps.push({ kind: m[1] as 'restart', line });
    else if ((m = /^@(\d{4}-\d{2}-\d{2} \d{2}:\d{2})$/.exec(text))) {
      const instant = fromShanghai(m[1]!);
      if (!instant) throw new UserError(`line ${line}: "${m[1]}" is not a real time (YYYY-MM-DD HH:mm).`);
      steps.push({ kind: 'at', instant, text: m[1]!, line });
    } else if ((m = /^([^:：\s][^:：]*?)\s*->\s*bot\s*[:：]\s?(.*)$/.exec(text))) steps.push({ kind: 'say', name: m[1]!.trim(), text: m[2]!, private: true, line });
    else if (!text.startsWith('!') && !text.startsWith('@') && (m = /^([^:：]+?)\s*[:：]\s?(.*)$/.exec(text))) steps.push({ kind: 'say', name: m[1]!.trim(), text: m[2]!, private: false, line });
    else throw new UserError(`line ${line}: unknown instruction "${text}".`);
  });
  return steps;
}

/** `[2023-08-21 09:00] 政务公开联络群 | 王芳: 完成 T17`, further lines indented by two spaces. */
export function formatLine(l: ChatLine): string {
  const where = l.room ?? `私聊 ${l.who === 'bot' ? l.to : l.who}`;
  const [first, ...rest] = l.text.split('\n');
  return [`[${shanghaiTime(l.at)}] ${where} | ${l.who}: ${first}`, ...rest.map((r) => `  ${r}`)].join('\n');
}

export type SimulationDeps = {
  db: Ledger;
  calendar: WorkCalendar;
  resolver: UnitResolver;
  out: (block: string) => void;
  log: Logger;
  /** where /export writes during the simulation */
  exportDir: string;
};

/**
 * Plays a transcript against the real bot (real Wechaty on wechaty-puppet-mock, the real
 * ledger and scheduler) on a virtual clock, printing the conversation as it happens.
 */
export async function simulate(source: string, deps: SimulationDeps): Promise<void> {
  const steps = parseTranscript(source);
  const coordinators = [...new Set(steps.flatMap((s) => (s.kind === 'coordinator' ? [s.name] : [])))];
  const rooms = [...new Set([DEFAULT_ROOM, ...steps.flatMap((s) => (s.kind === 'room' ? [s.topic] : []))])];
  const first = steps.find((s) => s.kind === 'at') as { instant: Date } | undefined;
  const clock = new VirtualClock(first?.instant ?? fromShanghai('2023-08-10 09:00')!);
  const config = configSchema.parse({
    botName: 'simulator',
    coordinators: coordinators.length ? coordinators.map((name) => ({ name })) : [{ name: '协调员' }],
    rooms,
    exportDir: deps.exportDir,
  });
  const chat = new MockChat(() => clock.now());
  let printed = 0;
  const flush = () => {
    for (; printed < chat.lines.length; printed++) deps.out(formatLine(chat.lines[printed]!));
  };
  let channel: WechatyChannel;
  const newBot = () => {
    channel = chat.channel(rooms, deps.log);
    return new LiaisonBot({ ...deps, config, clock, channel, random: () => 0.5 });
  };
  const login = async (bot: LiaisonBot) => {
    const ready = new Promise<void>((resolve) => bot.once('ready', () => resolve()));
    chat.login();
    await ready;
  };

  let bot = newBot();
  await bot.start();
  await login(bot);
  let room = DEFAULT_ROOM;
  try {
    for (const step of steps) {
      switch (step.kind) {
        case 'coordinator':
          chat.setRemark(step.name, step.name);
          break;
        case 'room':
          room = step.topic;
          chat.room(room);
          break;
        case 'at':
          if (shanghaiTime(step.instant) < shanghaiTime(clock.now())) {
            throw new UserError(`line ${step.line}: ${step.text} is earlier than the clock (${shanghaiTime(clock.now())}).`);
          }
          await advance(bot, clock, step.instant, config.reminders.time);
          break;
        case 'say':
          if (coordinators.includes(step.name)) chat.setRemark(step.name, step.name);
          await chat.say(channel!, step.name, step.text, step.private ? null : room, step.text.includes(`@${chat.botName}`));
          break;
        case 'restart':
          await bot.stop();
          chat.newPuppet();
          bot = newBot();
          await bot.start();
          await login(bot);
          break;
        case 'logout':
          await channel!.wechaty.logout();
          break;
        case 'login':
          await login(bot);
          break;
        case 'relogin-new-ids':
          await channel!.wechaty.logout();
          chat.renewIds();
          await login(bot);
          break;
      }
      flush();
    }
  } finally {
    flush();
    await bot.stop();
  }
}

/** Moves the clock to `target`, running the daily round at its time on each day passed. */
async function advance(bot: LiaisonBot, clock: VirtualClock, target: Date, roundTime: string): Promise<void> {
  for (let day = shanghaiDate(clock.now()); day <= shanghaiDate(target); day = addDays(day, 1)) {
    const at = fromShanghai(`${day} ${roundTime}`)!;
    if (at > clock.now() && at <= target) {
      clock.set(at);
      await bot.tick();
    }
  }
  if (target > clock.now()) clock.set(target);
  await bot.tick();
}
