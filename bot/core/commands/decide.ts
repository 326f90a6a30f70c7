import { decideRequest, pendingRequests } from '../../../db/liaisons.js';
import { text } from '../text/messages.js';
import type { Command } from './parse.js';
import type { Handler } from './context.js';

/** 批准 / 驳回 (coordinators): decides a binding request, by number or requester name. */
export const decideCommand: Handler<Extract<Command, { name: 'approve' | 'reject' }>> = (cmd, ctx) => {
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
