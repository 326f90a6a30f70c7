import type { BindingView } from '../../../db/liaisons.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import type { ReminderIntent } from '../../../db/reminders.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import type { Ladder } from '../../../schedules/ladder.js';
import type { Command } from './parse.js';

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
  /** the units the actor is the approved liaison of */
  bindings: BindingView[];
  rawText: string;
  /** where /export writes its workbooks */
  exportDir: string;
  /** people must @ the bot in a group for it to hear them */
  atOnly: boolean;
};

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
