import { lastHeard, type Seen } from '../../db/conversations.js';
import { bindingsUnderOtherContact, requestBinding, type BindingView } from '../../db/liaisons.js';
import type { Ledger } from '../../db/open.js';
import { shanghaiDate, shanghaiTime } from '../../schedules/clock.js';
import type { Actor, Reply } from './commands/context.js';
import { identityText, text } from './text/messages.js';

/**
 * A bound liaison's contact heard within this many days is taken to be still in the group, and
 * another contact under their name is refused outright. Liaisons answer monthly and quarterly
 * items, so a live contact speaks within a month; a re-login that changes ids silences the old
 * one for good, so after a month a same-name request is filed for the coordinators to decide.
 */
export const STILL_HERE_DAYS = 30;

/** Where a message was said: the channel, and the conversation on it. */
export type Where = { channel: string; conversationId: string };

/** One contact as the coordinators see it: when and where it was last heard. */
function contactLine(who: 'old' | 'new', heard: Seen | null, where: Where | undefined, binding?: BindingView, name?: string): string {
  const place = heard && (heard.kind === 'contact' ? identityText.privately : heard.conversationId === where?.conversationId ? identityText.thisGroup : identityText.otherGroup);
  const renamed = heard && name !== undefined && heard.name !== name ? heard.name : null;
  return identityText.contact(who, binding?.decidedAt ? shanghaiDate(new Date(binding.decidedAt)) : null, renamed, heard ? shanghaiTime(new Date(heard.lastAt)) : null, place);
}

/** Bound liaisons of this name under other contacts: their units, both contacts described, and whether one is still heard. */
export type Namesake = { units: string; contacts: string[]; stillHere: boolean; bindings: BindingView[] };

export function namesake(db: Ledger, now: Date, actor: Actor, where?: Where): Namesake | null {
  const bindings = bindingsUnderOtherContact(db, actor.name, actor.contactId);
  if (bindings.length === 0) return null;
  const since = new Date(now.getTime() - STILL_HERE_DAYS * 86_400_000).toISOString();
  const heard = (id: string) => (where ? lastHeard(db, where.channel, id) : null);
  const olds = [...new Map(bindings.map((b) => [b.contactId, b])).values()].map((b) => ({ binding: b, heard: heard(b.contactId) }));
  return {
    units: [...new Set(bindings.map((b) => b.unit))].join('、'),
    contacts: [contactLine('new', heard(actor.contactId), where), ...olds.map((o) => contactLine('old', o.heard, where, o.binding, actor.name)), identityText.basis],
    stillHere: olds.some((o) => o.heard !== null && o.heard.lastAt >= since),
    bindings,
  };
}

/** The newcomer is refused, nothing is filed, and the coordinators hear of it briefly. */
export const refusal = (name: string, same: Namesake): Reply => ({
  text: identityText.refused(name, STILL_HERE_DAYS),
  toCoordinators: identityText.refusedNotice(name, same.units, same.contacts, STILL_HERE_DAYS),
});

/**
 * Someone without a binding writes under the name of an approved liaison: after a re-login that
 * changed contact ids, or someone who took that name. While the liaison's contact is still heard
 * the newcomer is refused; otherwise a request is filed for each unit, and the coordinators see
 * both contacts. The message itself is never recorded.
 */
export function identityChanged(db: Ledger, now: Date, actor: Actor, where?: Where): Reply | null {
  const same = namesake(db, now, actor, where);
  if (!same) return null;
  if (same.stillHere) return refusal(actor.name, same);
  const at = now.toISOString();
  const requests = same.bindings.map((b) => requestBinding(db, { contactId: actor.contactId, name: actor.name, unitId: b.unitId, now: at }));
  const fresh = requests.filter((r) => r.outcome === 'requested').map((r) => text.pendingLine(r.binding.id, r.binding.name, r.binding.unit));
  return {
    text: text.identityChanged(same.units),
    toCoordinators: fresh.length ? identityText.requestNotice(actor.name, same.units, fresh, same.contacts, STILL_HERE_DAYS) : undefined,
  };
}
