import { approvedBindings, bindingsUnderOtherContact, requestBinding } from '../db/liaisons.js';
import { inTransaction, type Ledger } from '../db/open.js';
import { currentPlan } from '../db/queries.js';
import type { UnitResolver } from '../seeds/units.js';
import type { WorkCalendar } from '../schedules/calendar.js';
import type { Ladder } from '../schedules/ladder.js';
import { shanghaiDate } from '../schedules/clock.js';
import { commands } from './commands/index.js';
import type { Actor, CommandContext, Handler, Reply } from './commands/context.js';
import { text } from './messages.js';
import { parseCommand, type Command } from './parse.js';

export type HandlerDeps = { db: Ledger; calendar: WorkCalendar; ladder: Ladder; resolver: UnitResolver; now: () => Date; exportDir: string };

export type Incoming = {
  text: string;
  /** a private chat, or the bot @mentioned in a group */
  addressed: boolean;
  actor: Actor;
  isCoordinator: boolean;
};

/**
 * Someone without a binding writes under the name of an approved liaison: after a re-login
 * that changed contact ids, or someone using that name. Never attach the unit silently:
 * file a request for each unit and ask the coordinators.
 */
function identityChanged(deps: HandlerDeps, actor: Actor): Reply | null {
  const previous = bindingsUnderOtherContact(deps.db, actor.name, actor.contactId);
  if (previous.length === 0) return null;
  const now = deps.now().toISOString();
  const requests = previous.map((b) => requestBinding(deps.db, { contactId: actor.contactId, name: actor.name, unitId: b.unitId, now }));
  const units = [...new Set(previous.map((b) => b.unit))].join('、');
  const fresh = requests.filter((r) => r.outcome === 'requested');
  return {
    text: text.identityChanged(units),
    toCoordinators: fresh.length ? fresh.map((r) => text.identityChangedNotice(actor.name, r.binding.unit, r.binding.id)).join('\n') : undefined,
  };
}

/**
 * Turns one chat message into the bot's reply (null: not for the bot). Knows nothing of Wechaty.
 * Synchronous but for commands that must wait (/export).
 */
export function handleMessage(input: Incoming, deps: HandlerDeps): Reply | null | Promise<Reply> {
  const parsed = parseCommand(input.text, input.addressed, (n) => deps.resolver.lookup(n));
  if (parsed === null) return null;
  if ('error' in parsed) return { text: parsed.error };
  const entry = commands[parsed.name] as { access: string; handler: Handler<Command> };
  if (entry.access === 'coordinator' && !input.isCoordinator) return { text: text.coordinatorOnly };
  const plan = currentPlan(deps.db);
  if (!plan) return { text: text.noPlan };
  const bindings = approvedBindings(deps.db, input.actor.contactId);
  if (entry.access === 'liaison' && bindings.length === 0) return identityChanged(deps, input.actor) ?? { text: text.notBound };
  const now = deps.now();
  const ctx: CommandContext = {
    db: deps.db,
    calendar: deps.calendar,
    ladder: deps.ladder,
    plan,
    now,
    today: shanghaiDate(now),
    actor: input.actor,
    isCoordinator: input.isCoordinator,
    bindings,
    rawText: input.text,
    exportDir: deps.exportDir,
  };
  return entry.handler(parsed, ctx);
}

/**
 * Handles a message and queues its answer in the same transaction as the command's writes: a
 * report and the reply saying it was recorded commit together, or neither does. A command that
 * must wait (/export) writes no ledger rows; its answer is queued when it is ready.
 */
export async function answerMessage(input: Incoming, deps: HandlerDeps, queue: (reply: Reply) => void): Promise<Reply | null> {
  // immediate: the write lock first, so reading and then writing never meets another writer;
  // the answer comes out boxed, as a transaction may not return a promise
  const { answer } = inTransaction(
    deps.db,
    () => {
      const answer = handleMessage(input, deps);
      if (answer && !(answer instanceof Promise)) queue(answer);
      return { answer };
    },
    'immediate',
  );
  if (!(answer instanceof Promise)) return answer;
  const later = await answer;
  queue(later);
  return later;
}
