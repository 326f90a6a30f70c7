import { liaisonsByUnit } from '../../../db/liaisons.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import { openDatedRows, recordedReminders, type OpenRow, type OutgoingWithKeys, type ReminderIntent } from '../../../db/reminders.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { ladderWindows, remindersDue, type DueReminder, type Ladder } from '../../../schedules/ladder.js';
import { openLines, rowLabel, type LineMemo } from './lines.js';
import { mentionFirst, reminder } from '../text/messages.js';

/** One liaison's part of a round: their units, each with its lines. */
export type LiaisonBlock = { contactId: string; name: string; sections: string[]; keys: string[] };

export type RoundPlan = {
  today: string;
  blocks: LiaisonBlock[];
  /** units with no approved liaison: the coordinator hears of them instead, once per round */
  orphans: { unit: string; items: number }[];
  /** rows overdue long enough to tell the coordinator, each once */
  escalations: { unit: string; label: string; late: number; key: string }[];
  intents: ReminderIntent[];
};

/**
 * What a reminder round sends on the day of `now`, from the ledger: null on a rest day.
 * Keys recorded already are left out, so a second run of the same round sends nothing.
 * `unitIds` narrows the round to some units (提醒我).
 */
export function planRound(db: Ledger, plan: PlanRow, calendar: WorkCalendar, ladder: Ladder, now: Date, unitIds?: number[]): RoundPlan | null {
  const today = shanghaiDate(now);
  if (!calendar.isWorkday(today)) return null;
  const rows = openDatedRows(db, plan.id, plan.issueDate, unitIds, { today, windows: ladderWindows(today, calendar, ladder) });
  const all = remindersDue(rows, today, calendar, ladder);
  const recorded = recordedReminders(db, rows.map((r) => r.id), today);

  const byUnit = new Map<number, DueReminder<OpenRow>[]>();
  const escalations: RoundPlan['escalations'] = [];
  // the due reminders delivered: recorded with the messages that carry them
  const intents: ReminderIntent[] = [];
  for (const r of all) {
    if (recorded(r)) continue;
    if (r.step.kind === 'escalate') {
      // quarterly self-checks are many items: told as one line per quarter
      const label = r.row.ruleType === 'ongoing' ? reminder.selfCheck(r.row.occurrence) : rowLabel(r.row.ref, r.row.occurrence);
      escalations.push({ unit: r.row.unit, label, late: r.step.workdays, key: r.key });
      intents.push(r);
      continue;
    }
    const list = byUnit.get(r.row.unitId);
    if (list) list.push(r);
    else byUnit.set(r.row.unitId, [r]);
  }

  const liaisons = liaisonsByUnit(db, [...byUnit.keys()]);
  const memo: LineMemo = new Map();
  const blocks = new Map<string, LiaisonBlock>();
  const orphans: RoundPlan['orphans'] = [];
  for (const [unitId, reminders] of byUnit) {
    const rows = reminders.map((r) => r.row); // one step per row besides escalation, which is not here
    const mine = liaisons.get(unitId);
    // nobody received these: no keys, so a liaison bound later still gets them
    if (!mine) {
      orphans.push({ unit: rows[0]!.unit, items: rows.length });
      continue;
    }
    const section = [reminder.unitHeading(rows[0]!.unit), ...openLines(calendar, today, rows, memo).lines.map(reminder.bullet)].join('\n');
    const keys = reminders.map((r) => r.key);
    intents.push(...reminders);
    for (const l of mine) {
      let block = blocks.get(l.contactId);
      if (!block) blocks.set(l.contactId, (block = { contactId: l.contactId, name: l.name, sections: [], keys: [] }));
      block.sections.push(section);
      for (const k of keys) block.keys.push(k);
    }
  }
  return { today, blocks: [...blocks.values()], orphans, escalations, intents };
}

/**
 * Where a round's messages go: through which channel, the group each liaison is in (absent: a
 * private chat) and the group coordinators are told in, with their contact ids.
 */
export type Placement = {
  channel: string;
  groupOf: (contactIds: string[]) => Map<string, string>;
  coordinatorRoom: () => { conversationId: string; contactIds: string[] } | null;
  /** the channel hears only group messages that @mention the bot: digests say to @ it */
  atOnly?: boolean;
};

/** A message of text parts with @mentions between them. */
type Draft = { parts: string[]; mentions: string[]; keys: string[] };

/** One digest per group: each liaison @mentioned once with their own items; split only when too long. */
function digests(header: string, blocks: LiaisonBlock[], maxLength: number, footer: string): Draft[] {
  const drafts: Draft[] = [];
  let cur: Draft | null = null;
  let length = 0;
  for (const b of blocks) {
    const body = ` ${b.sections.join('\n')}\n`;
    if (cur && length + body.length + b.name.length > maxLength) {
      drafts.push(cur);
      cur = null;
    }
    if (!cur) {
      cur = { parts: [`${drafts.length ? reminder.continued(header) : header}\n`], mentions: [], keys: [] };
      length = cur.parts[0]!.length;
    }
    cur.mentions.push(b.contactId);
    cur.parts.push(body);
    cur.keys.push(...b.keys);
    length += body.length + b.name.length + 1;
  }
  if (cur) drafts.push(cur);
  for (const d of drafts) d.parts[d.parts.length - 1] += footer;
  return drafts;
}

/** One liaison's reminders as a message of its own (a private chat, or 提醒我). */
export const privateDigest = (header: string, block: LiaisonBlock) => `${header}\n${block.sections.join('\n')}\n${reminder.footer}`;

/** Turns a planned round into outbox messages, each carrying the reminder keys it delivers. */
export function roundMessages(plan: RoundPlan, placement: Placement, late: boolean, maxLength: number): OutgoingWithKeys[] {
  const header = reminder.header(plan.today, late);
  const { channel } = placement;
  const groups = placement.groupOf(plan.blocks.map((b) => b.contactId));
  const byRoom = new Map<string, LiaisonBlock[]>();
  const out: OutgoingWithKeys[] = [];
  for (const b of plan.blocks) {
    const room = groups.get(b.contactId) ?? null;
    if (room) byRoom.set(room, [...(byRoom.get(room) ?? []), b]); // a few groups, a few liaisons each
    else out.push({ channel, target: b.contactId, targetKind: 'contact', parts: [privateDigest(header, b)], mentions: [], keys: b.keys });
  }
  for (const [room, blocks] of byRoom) {
    for (const d of digests(header, blocks, maxLength, placement.atOnly ? reminder.footerAtBot : reminder.footer)) out.push({ channel, target: room, targetKind: 'room', ...d });
  }
  const coordinator = plan.orphans.length || plan.escalations.length ? placement.coordinatorRoom() : null;
  const toCoordinators = (text: string, keys: string[]) => {
    if (coordinator) out.push({ channel, target: coordinator.conversationId, targetKind: 'room', ...mentionFirst(coordinator.contactIds, text), keys });
  };
  if (plan.escalations.length) {
    const groups = new Map<string, { label: string; late: number; units: string[] }>();
    for (const e of plan.escalations) {
      const g = groups.get(`${e.label}|${e.late}`) ?? { label: e.label, late: e.late, units: [] };
      if (!g.units.includes(e.unit)) g.units.push(e.unit);
      groups.set(`${e.label}|${e.late}`, g);
    }
    const lines = [...groups.values()].map((g) => reminder.escalationLine(g.label, g.late, g.units));
    toCoordinators(reminder.escalation(lines), plan.escalations.map((e) => e.key));
  }
  if (plan.orphans.length) {
    toCoordinators(reminder.orphans(plan.orphans.map((o) => reminder.orphanUnit(o.unit, o.items))), []);
  }
  return out;
}
