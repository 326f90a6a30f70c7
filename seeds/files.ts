import { fileURLToPath } from 'node:url';

// The package's root folder, from source (seeds/files.ts, run by tsx or vitest) or from the
// build (dist/seeds/files.js): data files are read where they are kept, never copied.
const root = new URL(import.meta.url.endsWith('.js') ? '../../' : '../', import.meta.url);
const atRoot = (path: string) => fileURLToPath(new URL(path, root));

/** The data files the product ships, for whoever loads them (the CLI, the bot, tests). */
export const seedFiles = {
  plan: atRoot('seeds/plan/2023-yiyuan-plan.txt'),
  units: atRoot('seeds/units.json'),
  holidays: atRoot('seeds/holidays.json'),
  /** drizzle-kit's migrations of the ledger schema */
  migrations: atRoot('db/migrations'),
};
