import { rmSync } from 'node:fs';
import { coordinatorGroup, recordSeen } from '../../db/conversations.js';
import { enqueue, type NewMessage } from '../../db/outbox.js';
import { recordReminders, type OutgoingWithKeys } from '../../db/reminders.js';
import { approvedBindings } from '../../db/liaisons.js';
import { inTransaction, type Ledger } from '../../db/open.js';
import { setPendingImport } from '../../db/pending-imports.js';
import { currentPlan } from '../../db/queries.js';
import type { UnitResolver } from '../../seeds/units.js';
import type { WorkCalendar } from '../../schedules/calendar.js';
import type { Ladder } from '../../schedules/ladder.js';
import { previewPlan } from '../../schedules/preview.js';
import { shanghaiDate } from '../../schedules/clock.js';
import { commands } from './commands/index.js';
import type { Access, Actor, CommandContext, FileRoute, Handler, PlanFiles, Reply } from './commands/context.js';
import { identityChanged, type Where } from './identity.js';
import type { ConversationKind, InboundMessage } from './ports.js';
import { importText } from './text/import.js';
import { mentionFirst, text } from './text/messages.js';
import { splitMessage } from './text/split.js';
import { parseCommand, type Command } from './commands/parse.js';

export type HandlerDeps = {
  db: Ledger;
  calendar: WorkCalendar;
  ladder: Ladder;
  resolver: UnitResolver;
  now: () => Date;
  exportDir: string;
  /** the channel hears only group messages that @mention the bot (Capabilities.hearsAllGroupMessages false): texts say to @ it */
  atOnly?: boolean;
  /** plan files sent in chat are read and imported through these (absent: files are ignored) */
  plans?: PlanFiles;
};

export type Incoming = {
  text: string;
  /** a private chat, or the bot @mentioned in a group */
  addressed: boolean;
  actor: Actor;
  isCoordinator: boolean;
  /** where it was said: to tell whether a bound liaison of the same name is still heard */
  where?: Where;
  /** where a file for the asker may go; absent: the conversation asked in (tests, the bench) */
  fileRoute?: FileRoute;
};

/**
 * Turns one chat message into the bot's reply (null: not for the bot). Knows nothing of Wechaty.
 * Synchronous but for commands that must wait (/export).
 */
export function handleMessage(input: Incoming, deps: HandlerDeps): Reply | null | Promise<Reply> {
  const parsed = parseCommand(input.text, input.addressed, chatLookup(deps.resolver));
  if (parsed === null) return null;
  if ('error' in parsed) return { text: parsed.error };
  // the spec of the command parsed: its handler takes exactly that command
  const entry = commands[parsed.name] as unknown as { access: Access; handle: Handler<Command> };
  if (entry.access === 'coordinator' && !input.isCoordinator) return { text: text.coordinatorOnly };
  const plan = currentPlan(deps.db);
  if (!plan) return { text: text.noPlan };
  const bindings = approvedBindings(deps.db, input.actor.contactId);
  const needsBinding = entry.access === 'liaison' || (entry.access === 'reporter' && !input.isCoordinator);
  if (needsBinding && bindings.length === 0) return identityChanged(deps.db, deps.now(), input.actor, input.where) ?? { text: text.notBound };
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
    where: input.where,
    bindings,
    rawText: input.text,
    exportDir: deps.exportDir,
    atOnly: deps.atOnly ?? false,
    fileRoute: input.fileRoute === undefined ? 'here' : input.fileRoute,
    plans: deps.plans,
  };
  return entry.handle(parsed, ctx);
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

/**
 * A notice for the coordinators: in the group a coordinator was last heard in (this one when
 * one was heard here), else privately to each coordinator configured by id, else in the
 * conversation it arose in, where a coordinator may read it.
 */
function toCoordinators(m: InboundMessage, deps: ReceiveDeps, notice: string): NewMessage[] {
  const group = coordinatorGroup(deps.db, m.channel, m.conversation.kind === 'room' ? m.conversation.id : undefined);
  if (group) return [{ channel: m.channel, target: group.conversationId, targetKind: 'room', ...mentionFirst(group.contactIds, notice) }];
  const ids = deps.coordinators.flatMap((c) => (c.contactId ? [c.contactId] : []));
  if (ids.length) return ids.map((id) => ({ channel: m.channel, target: id, targetKind: 'contact', parts: [notice], mentions: [] }));
  return [{ channel: m.channel, target: m.conversation.id, targetKind: m.conversation.kind, parts: [notice], mentions: [] }];
}

/** Who coordinates (协调员): by contact id, or by the bot account's own remark (备注) for the contact. */
export type Coordinator = { name: string; contactId?: string };

export const isCoordinator = (coordinators: Coordinator[], sender: InboundMessage['sender']) =>
  coordinators.some((c) => c.contactId === sender.id || (sender.remark !== undefined && c.name === sender.remark));

export type ReceiveDeps = HandlerDeps & {
  coordinators: Coordinator[];
  maxLength: number;
  /** the channel can start a private chat with a contact */
  privateMessages: boolean;
  /** the coordinators' own group (a conversation id), where files may go when nothing is private */
  coordinatorGroup?: string;
};

/**
 * Where a file the asker gets goes (an export holds every unit's record): never into a liaisons'
 * group. The conversation itself when private or the coordinators' group; else privately, else
 * to the coordinators' group; null: nowhere.
 */
function fileTarget(m: InboundMessage, deps: ReceiveDeps): { route: FileRoute; target: string; targetKind: ConversationKind } | null {
  if (m.conversation.kind === 'contact' || m.conversation.id === deps.coordinatorGroup) return { route: 'here', target: m.conversation.id, targetKind: m.conversation.kind };
  if (deps.privateMessages) return { route: 'private', target: m.sender.id, targetKind: 'contact' };
  if (deps.coordinatorGroup) return { route: 'coordinatorGroup', target: deps.coordinatorGroup, targetKind: 'room' };
  return null;
}

/**
 * One incoming message from any channel: who spoke where is noted, the message is handled, and
 * its answer (and any notice to the coordinators) queued in the outbox, all in one transaction.
 * Returns the answer (null: not for the bot), for the runtime to act on (runRound).
 */
export async function receive(m: InboundMessage, deps: ReceiveDeps, handled: () => void = () => {}): Promise<Reply | null> {
  const coordinator = isCoordinator(deps.coordinators, m.sender);
  const now = deps.now().toISOString();
  const inRoom = m.conversation.kind === 'room';
  // chatter too: it says which group someone is in
  recordSeen(deps.db, {
    channel: m.channel,
    contactId: m.sender.id,
    conversationId: m.conversation.id,
    kind: m.conversation.kind,
    name: m.sender.name,
    coordinator,
    lastAt: now,
  });
  const fileTo = fileTarget(m, deps);
  const queue = (reply: Reply) => {
    handled();
    const base = { channel: m.channel, target: m.conversation.id, targetKind: m.conversation.kind, replyToken: m.replyToken ?? null };
    const messages: OutgoingWithKeys[] = splitMessage(reply.text, deps.maxLength).map((part) => ({
      ...base,
      ...mentionFirst(inRoom ? [m.sender.id] : [], part),
      keys: (reply.reminders ?? []).map((r) => r.key),
    }));
    if (reply.file && fileTo) {
      const { target, targetKind } = fileTo;
      messages.push({ ...base, target, targetKind, replyToken: fileTo.route === 'here' ? base.replyToken : null, parts: [''], mentions: [], filePath: reply.file, keys: [] });
    }
    if (reply.reminders?.length) recordReminders(deps.db, reply.reminders, messages, now);
    else enqueue(deps.db, messages, now);
    if (reply.toCoordinators) enqueue(deps.db, toCoordinators(m, deps, reply.toCoordinators), now);
  };
  if (m.file) return receivePlanFile(m, m.file, coordinator, deps, queue, handled);
  const reply = await answerMessage(
    {
      text: m.text,
      addressed: addressed(m),
      actor: { contactId: m.sender.id, name: m.sender.name },
      isCoordinator: coordinator,
      where: { channel: m.channel, conversationId: m.conversation.id },
      fileRoute: fileTo?.route ?? null,
    },
    deps,
    queue,
  );
  if (!reply) handled();
  return reply;
}

/**
 * A file sent to the bot: a coordinator's is read as a plan, previewed and kept for 确认导入;
 * anyone else's is ignored in a group and refused in one sentence privately. The file itself
 * is removed once handled: what matters of it is in the ledger.
 */
async function receivePlanFile(
  m: InboundMessage,
  file: { name: string; path: string },
  coordinator: boolean,
  deps: ReceiveDeps,
  queue: (reply: Reply) => void,
  handled: () => void,
): Promise<Reply | null> {
  const read = coordinator && deps.plans ? await deps.plans.read(file.path) : null;
  const answer = (): Reply | null => {
    if (!coordinator || !deps.plans) return m.conversation.kind === 'room' || !deps.plans ? null : { text: importText.coordinatorsOnly };
    // a coordinator shares other documents in groups too: only a plan is answered there
    if (!read) return m.conversation.kind === 'room' ? null : { text: importText.notAPlan(file.name) };
    setPendingImport(deps.db, { channel: m.channel, contactId: m.sender.id, fileName: file.name, read, receivedAt: deps.now().toISOString() });
    return { text: importText.preview(file.name, previewPlan(read, deps.calendar)) };
  };
  // the pending plan and the answer saying so commit together
  const reply = inTransaction(
    deps.db,
    () => {
      const reply = answer();
      if (reply) queue(reply);
      else handled();
      return reply;
    },
    'immediate',
  );
  rmSync(file.path, { force: true });
  return reply;
}

/** A private chat, or the bot @mentioned in a group. */
const addressed = (m: InboundMessage) => m.conversation.kind === 'contact' || m.mentionsBot;

/** The message is for the bot (a command, or addressed to it), not chatter among colleagues. */
export const isForBot = (m: InboundMessage, resolver: UnitResolver) => parseCommand(m.text, addressed(m), chatLookup(resolver)) !== null;

/** Unit names as people write them in chat: shortenings resolve, unknown ones get suggestions. */
const chatLookup = (resolver: UnitResolver) => Object.assign((n: string) => resolver.find(n), { suggest: (n: string) => resolver.suggest(n) });
