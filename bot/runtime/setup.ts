import { existsSync, readFileSync, rmSync } from 'node:fs';
import { ZodError } from 'zod';
import { savePlan, type ImportSummary } from '../../db/import.js';
import type { Ledger } from '../../db/open.js';
import { currentPlan } from '../../db/queries.js';
import { decodeText, textDocument } from '../../seeds/document.js';
import { PlanFormatError, readPlan, type PlanOptions, type ReadPlan } from '../../seeds/parse-plan.js';
import { DocumentFormatError, readPlanDocument } from '../../seeds/read-document.js';
import { parseDirectory, type UnitDirectory } from '../../seeds/units.js';
import { scheduleFileSchema, type WorkCalendar } from '../../schedules/calendar.js';
import { officialCalendar } from '../../schedules/official.js';
import { assignmentSpecs } from '../../schedules/assignments.js';

/** A problem with what the user gave us; the message is one plain sentence. */
export class UserError extends Error {}

export function readText(path: string, what: string): string {
  return readBytes(path, what).toString('utf8');
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
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

function notAPlan(planPath: string, err: unknown): never {
  if (err instanceof PlanFormatError || err instanceof DocumentFormatError) throw new UserError(`${planPath} is not a plan this tool can read: ${err.message}.`);
  throw err;
}

/** Reads a plan document of any supported format; nothing is written. */
export async function readPlanFile(planPath: string, directory: UnitDirectory, opts: PlanOptions = {}): Promise<ReadPlan> {
  const bytes = readBytes(planPath, 'plan file');
  try {
    return readPlan(await readPlanDocument(bytes, planPath), directory, opts);
  } catch (err) {
    notAPlan(planPath, err);
  }
}

/** Brings the ledger in step with a read plan, in one transaction, units included. */
export function savePlanRead(db: Ledger, read: ReadPlan, calendar: WorkCalendar, now: string): Imported {
  const summary = savePlan(db, read.plan, assignmentSpecs(read.plan, calendar), read.directory, now);
  return { ...summary, warnings: read.plan.warnings };
}

/**
 * Saves a read plan into the ledger at `dbPath`. A ledger this call created is removed again
 * when saving fails, so a failed import leaves no empty ledger behind for another command to
 * fill with the shipped plan.
 */
export function importIntoLedger(dbPath: string, open: (path: string) => Ledger, read: ReadPlan, calendar: WorkCalendar, now: string): Imported {
  const existed = existsSync(dbPath);
  const db = open(dbPath);
  let ok = false;
  try {
    const imported = savePlanRead(db, read, calendar, now);
    ok = true;
    return imported;
  } finally {
    db.$client.close();
    if (!ok && !existed) for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  }
}

/**
 * Imports the shipped (or configured) plan when the ledger has none yet; returns what it did,
 * if anything. The plan must be a text export: other formats go through `liaison import`.
 */
export function ensurePlan(db: Ledger, planPath: string, directory: UnitDirectory, calendar: WorkCalendar, now: string): Imported | null {
  if (currentPlan(db)) return null;
  const bytes = readBytes(planPath, 'plan file');
  // a zip (.docx, .xlsx) or an old Office file: reading it is asynchronous, as `liaison import` does
  if (/^(PK\x03\x04|\xd0\xcf\x11\xe0)/.test(bytes.subarray(0, 4).toString('latin1'))) {
    throw new UserError(`The ledger has no plan, and ${planPath} is not a text export; import it first with: liaison import --plan ${planPath}`);
  }
  let read: ReadPlan;
  try {
    read = readPlan(textDocument(decodeText(bytes)), directory);
  } catch (err) {
    notAPlan(planPath, err);
  }
  return savePlanRead(db, read, calendar, now);
}
