import { decideRequest, pendingRequests } from '../../../db/liaisons.js';
import { text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** 批准 / 驳回 (coordinators): decides a binding request, by number or requester name. */
const decideCommand: Handler<Extract<Command, { name: 'approve' | 'reject' }>> = (cmd, ctx) => {
  const lines = (rows: ReturnType<typeof pendingRequests>) => rows.map((r) => text.pendingLine(r.id, r.name, r.unit));
  if (cmd.who === null) {
    const all = pendingRequests(ctx.db);
    return { text: all.length ? text.pendingList(lines(all)) : text.noPending };
  }
  const found = pendingRequests(ctx.db, cmd.who);
  if (found.length === 0) return { text: text.noSuchPending(cmd.who) };
  if (found.length > 1) return { text: text.ambiguousPending(cmd.who, lines(found)) };
  const req = found[0]!;
  const approve = cmd.name === 'approve';
  decideRequest(ctx.db, req.id, approve ? 'approved' : 'rejected', ctx.actor.name, ctx.now.toISOString());
  return { text: approve ? text.approved(req.name, req.unit) : text.rejected(req.name, req.unit) };
};

const who = (rest: string) => rest || null;

export const approveSpec: CommandSpec<'approve'> = {
  name: 'approve',
  words: ['批准', '同意', '/approve'],
  access: 'coordinator',
  parse: (rest) => ({ name: 'approve', who: who(rest) }),
  handle: decideCommand,
};

export const rejectSpec: CommandSpec<'reject'> = {
  name: 'reject',
  words: ['驳回', '拒绝', '/reject'],
  access: 'coordinator',
  parse: (rest) => ({ name: 'reject', who: who(rest) }),
  handle: decideCommand,
};
