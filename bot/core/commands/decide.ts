import { contactsNamed, decideRequest, pendingRequests } from '../../../db/liaisons.js';
import { identityText, text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** 批准 / 驳回 (coordinators): decides binding requests, by number or requester name; 全部批准 approves all. */
const decideCommand: Handler<Extract<Command, { name: 'approve' | 'reject' }>> = (cmd, ctx) => {
  const lines = (rows: ReturnType<typeof pendingRequests>) => rows.map((r) => text.pendingLine(r.id, r.name, r.unit));
  const approve = cmd.name === 'approve';
  const all = approve && cmd.all;
  if (cmd.who === null && !all) {
    const pending = pendingRequests(ctx.db);
    return { text: pending.length ? text.pendingList(lines(pending)) : text.noPending };
  }
  const found = pendingRequests(ctx.db, cmd.who ?? undefined);
  if (found.length === 0) return { text: cmd.who === null ? text.noPending : text.noSuchPending(cmd.who) };
  // 批准 周敏 approves all of 周敏's requests; a rejection is made one by one
  if (found.length > 1 && !approve) return { text: text.ambiguousPending(cmd.who!, lines(found)) };
  // by name (or all at once) only when the name is one contact: another may have taken a liaison's name
  const byNumber = cmd.who !== null && NUMBER.test(cmd.who);
  const shared = approve && !byNumber ? found.filter((r) => contactsNamed(ctx.db, r.name).length > 1) : [];
  if (shared.length && !all) return { text: identityText.approveByNumber(cmd.who!, lines(found)) };
  const decided = found.filter((r) => !shared.includes(r));
  for (const req of decided) decideRequest(ctx.db, req.id, approve ? 'approved' : 'rejected', ctx.actor.name, ctx.now.toISOString());
  const said = decided.map((req) => (approve ? text.approved(req.name, req.unit) : text.rejected(req.name, req.unit)));
  for (const name of new Set(shared.map((r) => r.name))) said.push(identityText.approveByNumber(name, lines(shared.filter((r) => r.name === name))));
  return { text: said.join('\n') };
};

const who = (rest: string) => rest || null;
const NUMBER = /^#?\d+$/;
const ALL = /^(全部|所有|都)/;

export const approveSpec: CommandSpec<'approve'> = {
  name: 'approve',
  words: ['批准', '同意', '/approve', /全部批准|全部同意/],
  access: 'coordinator',
  parse: (rest, _lookup, word) => {
    const all = ALL.test(rest) || ALL.test(word);
    return { name: 'approve', who: all ? null : who(rest), all };
  },
  handle: decideCommand,
};

export const rejectSpec: CommandSpec<'reject'> = {
  name: 'reject',
  words: ['驳回', '拒绝', '/reject'],
  access: 'coordinator',
  parse: (rest) => ({ name: 'reject', who: who(rest) }),
  handle: decideCommand,
};
