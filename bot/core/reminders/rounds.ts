import { liaisonsByUnit } from '../../../db/liaisons.js';
import type { Ledger } from '../../../db/open.js';
import type { PlanRow } from '../../../db/queries.js';
import { openDatedRows, planLastDue, recordedReminders, type OpenRow, type OutgoingWithKeys, type ReminderIntent } from '../../../db/reminders.js';
import type { WorkCalendar } from '../../../schedules/calendar.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { firstWorkdayOfWeek, ladderWindows, remindersDue, type DueReminder, type Ladder } from '../../../schedules/ladder.js';
import { dueGroups, entryCount, rowLabel } from './lines.js';
import { mentionFirst, reminder, selfCheckName, text } from '../text/messages.js';

/** A liaison reads a private reminder on a phone: longer details are cut and point to 我的任务. */
export const PRIVATE_MAX = 1000;
/** The coordinator's daily summary stays one short message. */
const SUMMARY_MAX = 1500;

/** One liaison's part of a round: what is new per unit (the group line) and the details. */
export type LiaisonBlock = { contactId: string; name: string; news: string[]; sections: string[]; keys: string[] };

export type RoundPlan = {
  today: string;
  /** the week's first working day: full overdue lists and weekly notices go out */
  weekly: boolean;
  /** past the plan's last due date: overdue rows go to the coordinator weekly, not to liaisons */
  yearOver: boolean;
  delivery: Pick<Ladder, 'groupDigest' | 'private'>;
  blocks: LiaisonBlock[];
  /** units with no approved liaison and open rows due soon or overdue: the coordinator hears of them weekly */
  orphans: { unit: string; items: number }[];
  /** rows overdue long enough to tell the coordinator, each once */
  escalations: { unit: string; label: string; late: number; key: string }[];
  /** open overdue items per unit (a quarter's self-checks count as one), worst first */
  overdue: { unit: string; items: number }[];
  intents: ReminderIntent[];
};

/** What a liaison hears of a reminder: new today (a ladder step), or listed again (overdue for a while). */
const isNew = (r: DueReminder<OpenRow>) => r.step.kind !== 'overdue' || r.step.workdays <= 1;

/** A unit's news for the group line: 今天到期2项，5个工作日后到期1项，新逾期3项. */
function newsOf(unit: string, fresh: DueReminder<OpenRow>[]): string {
  const count = (pick: (r: DueReminder<OpenRow>) => boolean) => entryCount(fresh.filter(pick).map((r) => r.row));
  const parts: string[] = [];
  const today = count((r) => r.step.kind === 'due');
  if (today) parts.push(reminder.dueToday(today));
  const before = [...new Set(fresh.flatMap((r) => (r.step.kind === 'before' ? [r.step.workdays] : [])))].sort((a, b) => a - b);
  for (const n of before) parts.push(reminder.dueIn(n, count((r) => r.step.kind === 'before' && r.step.workdays === n)));
  const late = count((r) => r.step.kind === 'overdue');
  if (late) parts.push(reminder.newlyOverdue(late));
  return reminder.news(unit, parts);
}

/** Open items per unit, a quarter's self-checks counting as one. */
function countByUnit(rows: OpenRow[]): { unit: string; items: number }[] {
  const byUnit = new Map<string, OpenRow[]>();
  for (const r of rows) {
    const list = byUnit.get(r.unit);
    if (list) list.push(r);
    else byUnit.set(r.unit, [r]);
  }
  return [...byUnit].map(([unit, list]) => ({ unit, items: entryCount(list) }));
}

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
  const weekly = firstWorkdayOfWeek(today, calendar);
  const lastDue = planLastDue(db, plan.id);
  const yearOver = lastDue !== null && today > lastDue;
  // items overdue for a while are listed weekly (or daily if configured), never after the plan year
  const listed = (r: DueReminder<OpenRow>) => isNew(r) || (!yearOver && (weekly || ladder.overdueDetail === 'daily'));

  const byUnit = new Map<number, DueReminder<OpenRow>[]>();
  const escalations: RoundPlan['escalations'] = [];
  // the due reminders delivered: recorded with the messages that carry them
  const intents: ReminderIntent[] = [];
  for (const r of all) {
    if (recorded(r)) continue;
    if (r.step.kind === 'escalate') {
      // quarterly self-checks are many items: told as one line per quarter
      const label = r.row.ruleType === 'ongoing' ? selfCheckName(r.row.occurrence) : rowLabel(r.row.ref, r.row.occurrence);
      escalations.push({ unit: r.row.unit, label, late: r.step.workdays, key: r.key });
      intents.push(r);
      continue;
    }
    if (!listed(r)) continue;
    const list = byUnit.get(r.row.unitId);
    if (list) list.push(r);
    else byUnit.set(r.row.unitId, [r]);
  }

  const overdue = countByUnit(rows.filter((r) => r.due < today)).sort((a, b) => b.items - a.items);
  const liaisons = liaisonsByUnit(db, [...new Set(rows.map((r) => r.unitId))]);
  // unbound units with open rows in reach (overdue, or on the ladder): nobody received these and
  // they carry no keys, so a liaison bound later still gets them
  const orphans = countByUnit(rows.filter((r) => !liaisons.has(r.unitId)));
  const blocks = new Map<string, LiaisonBlock>();
  for (const [unitId, reminders] of byUnit) {
    const unit = reminders[0]!.row.unit;
    const fresh = reminders.filter(isNew);
    const mine = liaisons.get(unitId);
    if (!mine) continue;
    const section = [reminder.unitHeading(unit), ...dueGroups(calendar, today, reminders.map((r) => r.row))].join('\n');
    const news = fresh.length ? newsOf(unit, fresh) : null;
    intents.push(...reminders);
    for (const l of mine) {
      let block = blocks.get(l.contactId);
      if (!block) blocks.set(l.contactId, (block = { contactId: l.contactId, name: l.name, news: [], sections: [], keys: [] }));
      if (news) block.news.push(news);
      block.sections.push(section);
      for (const r of reminders) block.keys.push(r.key);
    }
  }
  return { today, weekly, yearOver, delivery: { groupDigest: ladder.groupDigest, private: ladder.private }, blocks: [...blocks.values()], orphans, escalations, overdue, intents };
}

/**
 * Where a round's messages go: through which channel (and whether it can send privately), the
 * group each liaison is in (absent: a private chat) and the group coordinators are told in.
 */
export type Placement = {
  channel: string;
  privateMessages: boolean;
  groupOf: (contactIds: string[]) => Map<string, string>;
  /** where the coordinators are told: a group (with whom to @), or one coordinator's private chat */
  coordinatorRoom: () => { conversationId: string; contactIds: string[]; kind?: 'room' | 'contact' } | null;
  /** the channel hears only group messages that @mention the bot: digests say to @ it */
  atOnly?: boolean;
};

/** A message of text parts with @mentions between them. */
type Draft = { parts: string[]; mentions: string[]; keys: string[] };
type Mention = { contactId: string; name: string; body: string; keys: string[] };

/** One digest per group: each liaison @mentioned once with their body; split only when too long. */
function digests(header: string, entries: Mention[], footer: string, maxLength: number): Draft[] {
  const drafts: Draft[] = [];
  let cur: Draft | null = null;
  let length = 0;
  for (const e of entries) {
    const body = ` ${e.body}\n`;
    if (cur && length + body.length + e.name.length > maxLength) {
      drafts.push(cur);
      cur = null;
    }
    if (!cur) {
      cur = { parts: [`${drafts.length ? reminder.continued(header) : header}\n`], mentions: [], keys: [] };
      length = cur.parts[0]!.length;
    }
    cur.mentions.push(e.contactId);
    cur.parts.push(body);
    cur.keys.push(...e.keys);
    length += body.length + e.name.length + 1;
  }
  if (cur) drafts.push(cur);
  for (const d of drafts) d.parts[d.parts.length - 1] += footer;
  return drafts;
}

/** One liaison's details as a message of its own (private, or 提醒我), cut at `max` characters. */
export function privateDetails(header: string, block: LiaisonBlock, max: number): string {
  const lines = block.sections.join('\n').split('\n');
  const whole = [header, ...lines, reminder.footer].join('\n');
  if (whole.length <= max) return whole;
  const kept = [header];
  let length = header.length + reminder.footer.length + text.tasksMore(lines.length).length + 2;
  let i = 0;
  for (; i < lines.length && length + lines[i]!.length + 1 <= max; i++) {
    kept.push(lines[i]!);
    length += lines[i]!.length + 1;
  }
  const cut = lines.slice(i).filter((l) => l.startsWith(reminder.bullet(''))).length;
  return [...kept, text.tasksMore(cut), reminder.footer].join('\n');
}

/** The coordinator's summary: newly escalated items, overdue counts by unit, weekly notices; cut to SUMMARY_MAX. */
function coordinatorSummary(plan: RoundPlan): string | null {
  const weeklyNotice = plan.weekly && (plan.orphans.length > 0 || plan.yearOver);
  if (!plan.escalations.length && !weeklyNotice) return null;
  const tail: string[] = [];
  // after the plan year the overdue rows are the weekly notice itself
  if (plan.overdue.length && (!plan.yearOver || plan.weekly)) {
    if (plan.yearOver) tail.push(reminder.yearOver);
    tail.push(reminder.overdueByUnit(plan.overdue.map((o) => reminder.unitCount(o.unit, o.items))));
  }
  if (plan.weekly && plan.orphans.length) tail.push(reminder.orphans(plan.orphans.map((o) => reminder.orphanUnit(o.unit, o.items))));
  const groups = new Map<string, { label: string; late: number; units: string[] }>();
  for (const e of plan.escalations) {
    const g = groups.get(`${e.label}|${e.late}`) ?? { label: e.label, late: e.late, units: [] };
    if (!g.units.includes(e.unit)) g.units.push(e.unit);
    groups.set(`${e.label}|${e.late}`, g);
  }
  const lines = [...groups.values()].map((g) => reminder.escalationLine(g.label, g.late, g.units));
  const head = reminder.summaryHeader(plan.today);
  let budget = SUMMARY_MAX - [head, ...tail].join('\n').length - reminder.escalation([]).length - reminder.summaryMore(lines.length).length - 2;
  const shown: string[] = [];
  for (const l of lines) {
    if (l.length + 1 > budget) break;
    shown.push(l);
    budget -= l.length + 1;
  }
  if (shown.length < lines.length) shown.push(reminder.summaryMore(lines.length - shown.length));
  return [head, ...(lines.length ? [reminder.escalation(shown)] : []), ...tail].join('\n');
}

/** Turns a planned round into outbox messages, each carrying the reminder keys it delivers. */
export function roundMessages(plan: RoundPlan, placement: Placement, late: boolean, maxLength: number, withSummary = true): OutgoingWithKeys[] {
  const header = reminder.header(plan.today, late);
  const { channel } = placement;
  const privately = plan.delivery.private && placement.privateMessages;
  const groups = placement.groupOf(plan.blocks.map((b) => b.contactId));
  const byRoom = new Map<string, LiaisonBlock[]>();
  const out: OutgoingWithKeys[] = [];
  // the group's digest goes first; it says the details follow privately
  const details: OutgoingWithKeys[] = [];
  for (const b of plan.blocks) {
    const room = groups.get(b.contactId) ?? null;
    // the week's full list may be longer than a day's news, up to one message
    if (!room || privately) details.push({ channel, target: b.contactId, targetKind: 'contact', parts: [privateDetails(header, b, plan.weekly ? maxLength : PRIVATE_MAX)], mentions: [], keys: b.keys });
    if (room) byRoom.set(room, [...(byRoom.get(room) ?? []), b]); // a few groups, a few liaisons each
  }
  const overdueItems = plan.yearOver ? 0 : plan.overdue.reduce((n, o) => n + o.items, 0);
  for (const [room, blocks] of byRoom) {
    const drafts =
      plan.delivery.groupDigest === 'full'
        ? digests(header, blocks.map((b) => ({ ...b, body: b.sections.join('\n') })), placement.atOnly ? reminder.footerAtBot : reminder.footer, maxLength)
        : digests(
            header,
            blocks.filter((b) => b.news.length).map((b) => ({ ...b, body: b.news.join('；') })),
            [...(overdueItems ? [reminder.overdueCount(overdueItems, plan.overdue.length, privately)] : []), reminder.summaryFooter(privately, placement.atOnly ?? false)].join('\n'),
            maxLength,
          );
    for (const d of drafts) out.push({ channel, target: room, targetKind: 'room', ...d });
  }
  out.push(...details);
  // the coordinator's summary comes once a day, with the day's own round
  const summary = withSummary ? coordinatorSummary(plan) : null;
  const coordinator = summary ? placement.coordinatorRoom() : null;
  if (summary && coordinator) {
    const inRoom = coordinator.kind !== 'contact';
    out.push({
      channel,
      target: coordinator.conversationId,
      targetKind: inRoom ? 'room' : 'contact',
      ...mentionFirst(inRoom ? coordinator.contactIds : [], summary),
      keys: plan.escalations.map((e) => e.key),
    });
  }
  return out;
}
