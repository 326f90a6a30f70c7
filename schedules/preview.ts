import type { ReadPlan, UnreadDeadline } from '../seeds/parse-plan.js';
import type { PlanItem, Rule } from '../seeds/plan-types.js';
import { closeUnits, looksLikeUnit } from '../seeds/units.js';
import type { WorkCalendar } from './calendar.js';
import { singleDue } from './due.js';

/** One item as `liaison items --json` shows it. */
export type ItemRow = {
  ref: string;
  kind: PlanItem['kind'];
  path: string[];
  text: string;
  unitsText: string;
  units: string[];
  lead: string | null;
  unassigned: string[];
  deadlineText: string;
  rule: Rule;
  due: string | null;
};

/** What importing a plan would do, before anything is written: for the CLI's --check and the chat. */
export type PlanPreview = {
  title: string;
  year: number;
  issueDate: string;
  counts: { tasks: number; checklist: number; body: number };
  /** the directory the units resolve against; `fromPlan` when it was made of the plan's own names */
  directory: { units: number; fromPlan: boolean };
  items: ItemRow[];
  /** names that look like units but are not in the directory, with the closest directory names */
  unresolved: { name: string; refs: string[]; suggestions: string[] }[];
  /** groups and unnamed parties (各有关单位, 县政府有关部门单位) the coordinator assigns */
  toAssign: { text: string; refs: string[] }[];
  unreadDeadlines: UnreadDeadline[];
  warnings: string[];
};

function byName(pairs: [string, string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, ref] of pairs) out.set(name, [...(out.get(name) ?? []), ref]);
  return out;
}

/** Pure: a read plan in, what its import would bring out. */
export function previewPlan(read: ReadPlan, calendar: WorkCalendar): PlanPreview {
  const { plan, directory } = read;
  const dates = { issueDate: plan.issueDate, year: plan.year };
  const count = (kind: PlanItem['kind']) => plan.items.filter((i) => i.kind === kind).length;
  const parties = plan.items.flatMap((i) => i.assignment.unassigned.map((name): [string, string] => [name, i.ref]));
  return {
    title: plan.title,
    year: plan.year,
    issueDate: plan.issueDate,
    counts: { tasks: count('task'), checklist: count('checklist'), body: count('body') },
    directory: { units: directory.units.length, fromPlan: read.ownDirectory },
    items: plan.items.map((i) => ({
      ref: i.ref,
      kind: i.kind,
      path: i.path,
      text: i.text,
      unitsText: i.unitsText,
      units: i.assignment.units,
      lead: i.assignment.lead,
      unassigned: i.assignment.unassigned,
      deadlineText: i.deadlineText,
      rule: i.rule,
      due: singleDue(i.rule, dates, calendar),
    })),
    unresolved: [...byName(parties.filter(([n]) => looksLikeUnit(n)))].map(([name, refs]) => ({ name, refs, suggestions: closeUnits(name, directory) })),
    toAssign: [...byName(parties.filter(([n]) => !looksLikeUnit(n)))].map(([text, refs]) => ({ text, refs })),
    unreadDeadlines: read.unread,
    warnings: plan.warnings,
  };
}
