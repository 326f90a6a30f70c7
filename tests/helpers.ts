import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { seedFiles } from '../seeds/files.js';
import { parsePlan } from '../seeds/parse-plan.js';
import { parseDirectory, UnitResolver } from '../seeds/units.js';
import { officialCalendar } from '../schedules/official.js';
import type { CliIo } from '../bot/cli/cli.js';

export const planText = readFileSync(seedFiles.plan, 'utf8');
export const directory = parseDirectory(readFileSync(seedFiles.units, 'utf8'));
export const resolver = new UnitResolver(directory);
export const calendar = officialCalendar();
export const plan = parsePlan(planText, resolver);
export const item = (ref: string) => plan.items.find((i) => i.ref === ref)!;

// Test ledgers are megabytes each: the folders a test file made go when the file is done.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
export const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-test-'));
  made.push(dir);
  return dir;
};

/** A CLI io that records what was printed, with a fixed clock. */
export function recordingIo(now = '2023-08-10T01:00:00Z', env: CliIo['env'] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date(now), env };
  return { io, out, err };
}
