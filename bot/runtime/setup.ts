import { readFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { savePlan, type ImportSummary } from '../../db/import.js';
import type { Ledger } from '../../db/open.js';
import { currentPlan } from '../../db/queries.js';
import { parsePlan, PlanFormatError } from '../../seeds/parse-plan.js';
import { parseDirectory, UnitResolver, type UnitDirectory } from '../../seeds/units.js';
import { scheduleFileSchema, type WorkCalendar } from '../../schedules/calendar.js';
import { officialCalendar } from '../../schedules/official.js';
import { assignmentSpecs } from '../../schedules/assignments.js';

/** A problem with what the user gave us; the message is one plain sentence. */
export class UserError extends Error {}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `The ${what} ${path} does not exist.` : `The ${what} ${path} cannot be read (${code}).`);
  }
}

function parseJsonFile<T>(path: string, what: string, parse: (text: string) => T): T {
  const text = readText(path, what);
  try {
    return parse(text);
  } catch (err) {
    const detail = err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
    throw new UserError(`The ${what} ${path} is not valid (${detail}).`);
  }
}

export function loadDirectory(path: string): UnitDirectory {
  return parseJsonFile(path, 'unit directory', parseDirectory);
}

/** The working-day calendar: chinese-days plus the coordinator's holiday file. */
export function loadCalendar(holidaysPath: string): WorkCalendar {
  return officialCalendar(parseJsonFile(holidaysPath, 'holiday file', (t) => scheduleFileSchema.parse(JSON.parse(t))));
}

export type Imported = ImportSummary & { warnings: string[] };

/** Reads a plan document and brings the ledger in step with it. */
export function importPlanFile(db: Ledger, planPath: string, directory: UnitDirectory, calendar: WorkCalendar, now: string): Imported {
  const text = readText(planPath, 'plan file');
  let plan;
  try {
    plan = parsePlan(text, new UnitResolver(directory));
  } catch (err) {
    if (err instanceof PlanFormatError) throw new UserError(`${planPath} is not a plan this tool can read: ${err.message}.`);
    throw err;
  }
  const summary = savePlan(db, plan, assignmentSpecs(plan, calendar), directory, now);
  return { ...summary, warnings: plan.warnings };
}

/** Imports the shipped plan when the ledger has none yet; returns what it did, if anything. */
export function ensurePlan(db: Ledger, planPath: string, directory: UnitDirectory, calendar: WorkCalendar, now: string): Imported | null {
  if (currentPlan(db)) return null;
  return importPlanFile(db, planPath, directory, calendar, now);
}
