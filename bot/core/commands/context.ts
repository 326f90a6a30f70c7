import type { ImportSummary } from '../../../db/import.js';
import type { BindingView } from '../../../db/liaisons.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import type { ReminderIntent } from '../../../db/reminders.js';
import type { ReadPlan } from '../../../seeds/parse-plan.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import type { Ladder } from '../../../schedules/ladder.js';
import type { Command, ParseError, UnitLookup } from './args.js';
import type { Where } from '../identity.js';

/** Who sent a message. Identity is the contact id; the name is for display only. */
export type Actor = { contactId: string; name: string };

/** What every command handler gets: the ledger, the calendar, the clock and who is asking. */
export type CommandContext = {
  db: Ledger;
  calendar: WorkCalendar;
  ladder: Ladder;
  plan: PlanRow;
  /** the current instant, and its day in Asia/Shanghai */
  now: Date;
  today: string;
  actor: Actor;
  isCoordinator: boolean;
  /** where the message was said (absent: unknown, as in tests) */
  where?: Where;
  /** the units the actor is the approved liaison of */
  bindings: BindingView[];
  rawText: string;
  /** where /export writes its workbooks */
  exportDir: string;
  /** people must @ the bot in a group for it to hear them */
  atOnly: boolean;
  /** where a file for the asker goes; null: nowhere private, so none is made */
  fileRoute: FileRoute;
  /** reading and importing plan files (absent: plans are not taken in chat) */
  plans?: PlanFiles;
};

/** Plan files, as the runtime reads and imports them: the core knows no file format. */
export type PlanFiles = {
  /** the plan a document holds; null: not a plan that can be read (one sentence says so) */
  read(path: string): Promise<ReadPlan | null>;
  /** brings the ledger in step with the plan, inside the caller's transaction */
  save(db: Ledger, read: ReadPlan, now: string): ImportSummary;
};

/**
 * Where a file sent to the asker goes: the conversation asked in (a private chat, the
 * coordinators' group), the asker privately, or the configured coordinators' group.
 */
export type FileRoute = 'here' | 'private' | 'coordinatorGroup' | null;

/**
 * A command's answer. `toCoordinators` is a notice for the coordinators as well; `reminders`
 * are reminder keys the answer delivers (提醒我); `runRound` asks the bot for a round now;
 * `file` is a file to send after the text (/export).
 */
export type Reply = { text: string; toCoordinators?: string; reminders?: ReminderIntent[]; runRound?: boolean; file?: string };

/** Who reported, what they wrote and when: every check-in stores these with its report. */
export const reportedBy = (ctx: CommandContext) => ({
  authorContactId: ctx.actor.contactId,
  authorName: ctx.actor.name,
  rawText: ctx.rawText,
  at: ctx.now.toISOString(),
});

export type Handler<C extends Command = Command> = (cmd: C, ctx: CommandContext) => Reply | Promise<Reply>;

/**
 * Who may use a command: anyone, an approved liaison, a coordinator, or a reporter (a liaison
 * for their own units, or a coordinator for the unit they name).
 */
export type Access = 'anyone' | 'liaison' | 'reporter' | 'coordinator';

/**
 * A command, declared once in its own module: the words that start it (aliases and the slash
 * form; a RegExp for a phrase), who may use it, how its arguments are read, and its handler.
 * The parser and the help text derive from these; its usage line is text/messages.ts usage[name].
 */
export type CommandSpec<K extends Command['name'] = Command['name']> = {
  name: K;
  words: (string | RegExp)[];
  /** its argument is a unit: it may run on without a space (绑定县商务局) */
  unitArg?: boolean;
  access: Access;
  /** reads what follows the word (`word`: the word as written, for commands with several meanings) */
  parse: (rest: string, lookup: UnitLookup, word: string) => Extract<Command, { name: K }> | ParseError;
  handle: Handler<Extract<Command, { name: K }>>;
};
