import type { Plan, PlanItem } from '../seeds/plan-types.js';
import type { WorkCalendar } from './calendar.js';
import { occurrences } from './due.js';

export type Role = 'responsible' | 'lead' | 'cooperating';

/** One ledger row a plan calls for: an item, for one unit (or an unassigned part), one occurrence. */
export type AssignmentSpec = {
  ref: string;
  /** a unit of the directory, or null for a part the coordinator must still assign */
  unit: string | null;
  unassignedLabel: string | null;
  role: Role;
  occurrence: string;
  due: string | null;
  estimated: boolean;
};

function roleOf(item: PlanItem, unit: string | null): Role {
  if (!item.assignment.lead) return 'responsible';
  return unit === item.assignment.lead ? 'lead' : 'cooperating';
}

/** Every (item, unit, occurrence) the plan gives, with its due date. */
export function assignmentSpecs(plan: Plan, calendar: WorkCalendar): AssignmentSpec[] {
  const dates = { issueDate: plan.issueDate, year: plan.year };
  const specs: AssignmentSpec[] = [];
  for (const item of plan.items) {
    const occ = occurrences(item.rule, dates, calendar);
    const parties = [
      ...item.assignment.units.map((unit) => ({ unit, unassignedLabel: null })),
      ...item.assignment.unassigned.map((label) => ({ unit: null, unassignedLabel: label })),
    ];
    for (const party of parties) {
      for (const o of occ) {
        specs.push({ ref: item.ref, ...party, role: roleOf(item, party.unit), occurrence: o.key, due: o.due, estimated: o.estimated });
      }
    }
  }
  return specs;
}
