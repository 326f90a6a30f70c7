import { parseArgs, type ParseArgsConfig } from 'node:util';
import { backupLedger, restoreLedger } from '../../db/backup.js';
import { privateDir } from '../../db/files.js';
import { liveLease } from '../../db/lease.js';
import { LedgerError, openLedger, type Ledger } from '../../db/open.js';
import { configPath, filesSchema, loadConfig, type ConfigEnv, type Files } from '../runtime/config.js';
import { currentPlan, listItems } from '../../db/queries.js';
import { fromShanghai, shanghaiDate } from '../../schedules/clock.js';
import { defaultLadder } from '../../schedules/ladder.js';
import { planRound, roundMessages, type Placement } from '../core/reminders/rounds.js';
import { addDays, isRealDate, type WorkCalendar } from '../../schedules/calendar.js';
import { singleDue } from '../../schedules/due.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { exportRows, quarterRange, writeLedgerCsv } from '../core/ledger/export.js';
import { UnitResolver } from '../../seeds/units.js';
import { ensurePlan, importIntoLedger, loadCalendar, loadDirectory, readPlanFile, readText, UserError, type Imported } from '../runtime/setup.js';
import { previewPlan, type PlanPreview } from '../../schedules/preview.js';

/** What the CLI touches of the outside world, injected so tests can run it in-process. */
export type CliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** the current instant */
  now: () => Date;
  /** the environment: LIAISON_CONFIG, LIAISON_DB and the rest the config reads; SIM_DEBUG */
  env: ConfigEnv & { SIM_DEBUG?: string };
};

/** the coordinators' stand-in in a dry run */
const COORDINATORS = 'coordinators';
const common = {
  db: { type: 'string' },
  config: { type: 'string' },
  units: { type: 'string' },
  holidays: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

const USAGE = `usage: liaison <command> [options]
  every command reads the bot's config (--config FILE, else LIAISON_CONFIG, else config.json if present)
  and uses its ledger: --db FILE, else LIAISON_DB, else the config's dbPath, else data/ledger.db
  import [--plan FILE] [--check] [--yes]   import the plan (default: the config's planPath): .docx, .xlsx,
                                            .html or text (UTF-8, GBK, UTF-16); --check shows what it would
                                            import and writes nothing; --yes imports despite unknown units;
                                            --year YYYY, --issued YYYY-MM-DD when the document lacks them
  items [--json]                            list the plan's items with their rules and due dates
  ledger [--json] [--at YYYY-MM-DD]         every (item, unit, occurrence) with its status
  due --from YYYY-MM-DD --workdays N        the date N working days after --from (start day not counted)
  calendar --from YYYY-MM-DD --to YYYY-MM-DD [--json]   working days in a range
  export --out FILE.xlsx [--at YYYY-MM-DD] [--quarter 2023Q4]   the ledger workbook (--csv: CSV rows)
  backup --out FILE [--force]               a consistent copy of the ledger, also while the bot runs;
                                            an existing FILE is replaced only with --force
  restore --from FILE                       replace the ledger with a backup (stop the bot first)
  remind --dry-run --at "YYYY-MM-DD HH:mm"   what that reminder round would send (nothing is sent or recorded)
  simulate FILE                             play a chat transcript against the real bot on a virtual clock
                                            (without --db: a fresh temporary ledger, never the bot's)
  help                                      this text (also --help, -h)
ledger, items, export, backup and remind read an existing ledger: they never create one or import a plan.`;

type Context = { io: CliIo; values: Record<string, string | boolean | undefined>; positionals: string[]; files: Files };

function date(values: Context['values'], name: string): string {
  const v = values[name];
  if (typeof v !== 'string') throw new UserError(`--${name} is required (a date written YYYY-MM-DD).`);
  if (!isRealDate(v)) throw new UserError(`--${name} "${v}" is not a real date written YYYY-MM-DD.`);
  return v;
}

/**
 * The bot's files as `npm start` finds them, flags winning. A config file nobody named may be
 * absent (defaults then); a named one must exist.
 */
function resolveFiles(values: Context['values'], env: CliIo['env']): Files {
  const { path, named } = configPath(values.config as string | undefined, env);
  const config = named || existsSync(path) ? loadConfig(path, env) : filesSchema.parse({});
  const flag = (name: string) => values[name] as string | undefined;
  return {
    dbPath: flag('db') ?? env.LIAISON_DB ?? config.dbPath,
    planPath: flag('plan') ?? config.planPath,
    unitsPath: flag('units') ?? config.unitsPath,
    holidaysPath: flag('holidays') ?? config.holidaysPath,
  };
}

/** Opens the ledger at `path`; `create: false` (commands that only read) refuses a missing one. */
function openPath(path: string, create = true): Ledger {
  if (!create && !existsSync(path)) throw new UserError(`There is no ledger at ${path}; create it with liaison import, or name the right one with --db or LIAISON_DB.`);
  try {
    return openLedger(path, { create });
  } catch (err) {
    if (err instanceof LedgerError) throw new UserError(`${err.message}.`);
    throw err;
  }
}

/** Commands that write refuse while a bot holds the ledger: its next write would meet theirs. */
function refuseWhileBotRuns(db: Ledger, path: string, now: Date): void {
  const held = liveLease(db, now);
  if (held) throw new UserError(`The bot (pid ${held.pid} on ${held.host}) is using the ledger ${path}; stop it first, or do this in the chat.`);
}

/**
 * Opens an existing ledger with its plan, for the commands that read. An empty ledger is an
 * error, not a silent import: the wrong --db would otherwise look like a fresh, all-pending plan.
 */
function openWithPlan({ files }: Context) {
  const db = openPath(files.dbPath, false);
  try {
    const plan = currentPlan(db);
    if (!plan) throw new UserError(`The ledger ${files.dbPath} has no plan; import one with liaison import.`);
    return { db, calendar: loadCalendar(files.holidaysPath), plan };
  } catch (err) {
    db.$client.close();
    throw err;
  }
}

/** Prints an import's summary; warnings go to standard error. */
function reportImport(io: CliIo, r: Imported): void {
  io.out(
    `Imported the ${r.year} plan (issued ${r.issueDate}): ${r.tasks} tasks, ${r.checklist} checklist items, ` +
      `${r.body} body tasks, ${r.units} units; ledger rows ${r.added} added, ${r.updated} updated, ${r.retired} retired.`,
  );
  for (const w of r.warnings) io.err(`warning: ${w}`);
}

function unresolvedLines(p: PlanPreview): string[] {
  return p.unresolved.map(
    (u) => `Unit "${u.name}" (${u.refs.join(', ')}) is not in the unit directory${u.suggestions.length ? `; closest: ${u.suggestions.join(', ')}` : ''}.`,
  );
}

/** `import --check`: the counts by part, every item, what is left to resolve; nothing is written. */
function printPreview(io: CliIo, p: PlanPreview, json: boolean): void {
  if (json) return void io.out(JSON.stringify(p, null, 2));
  io.out(
    `${p.title} (${p.year}, issued ${p.issueDate}): ${p.counts.tasks} tasks, ${p.counts.checklist} checklist items, ${p.counts.body} body tasks; ` +
      `${p.directory.units} units${p.directory.fromPlan ? ' named by the plan (it comes from a county the unit directory does not cover)' : ' in the unit directory'}.`,
  );
  for (const r of p.items) io.out(`${r.ref}\t${r.due ?? '-'}\t${r.deadlineText || '(常态化)'}\t${r.units.length} units\t${r.text.slice(0, 30)}`);
  for (const line of unresolvedLines(p)) io.out(line);
  for (const a of p.toAssign) io.out(`To be assigned by the coordinator: ${a.text} (${a.refs.join(', ')}).`);
  for (const d of p.unreadDeadlines) io.out(`Deadline "${d.text}" of ${d.ref} is not understood; it is kept as 及时公开 until the coordinator sets a date.`);
  for (const w of p.warnings) io.err(`warning: ${w}`);
  io.out('(check only: nothing was written)');
}

function calendarWarning(io: CliIo, calendar: WorkCalendar, from: string, to: string): void {
  const years = calendar.estimatedYears(from, to);
  if (years.length) {
    io.err(`warning: no official holiday schedule for ${years.join(', ')}; working days there are estimated (weekends and fixed statutory holidays only).`);
  }
}

const commands: Record<string, (ctx: Context) => void | Promise<void>> = {
  async import({ io, values, files }) {
    const planPath = files.planPath;
    const directory = loadDirectory(files.unitsPath);
    const calendar = loadCalendar(files.holidaysPath);
    const year = values.year === undefined ? undefined : Number(values.year);
    if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100)) throw new UserError(`--year must be a year such as 2024, not "${values.year}".`);
    const issued = values.issued === undefined ? undefined : date(values, 'issued');
    // the document is read and checked before the ledger is opened: a failed import writes nothing
    const read = await readPlanFile(planPath, directory, { year, issued });
    const preview = previewPlan(read, calendar);
    if (values.check) return void printPreview(io, preview, Boolean(values.json));
    if (preview.unresolved.length && !values.yes) {
      for (const line of unresolvedLines(preview)) io.err(line);
      throw new UserError(`${preview.unresolved.length} unit names of the plan are not in the unit directory (listed above); add them to the directory, or import anyway with --yes and assign them later.`);
    }
    const imported = importIntoLedger(
      files.dbPath,
      (path) => {
        const db = openPath(path);
        try {
          refuseWhileBotRuns(db, path, io.now());
        } catch (err) {
          db.$client.close();
          throw err;
        }
        return db;
      },
      read,
      calendar,
      io.now().toISOString(),
    );
    reportImport(io, imported);
    if (preview.directory.fromPlan) io.out(`The plan comes from a county the unit directory does not cover: the ${preview.directory.units} units it names were added, their kinds guessed.`);
    for (const line of unresolvedLines(preview)) io.out(line);
  },

  items(ctx) {
    const { io, values } = ctx;
    const { db, calendar, plan } = openWithPlan(ctx);
    try {
      const rows = listItems(db, plan.id).map((i) => ({
        ref: i.ref,
        kind: i.kind,
        path: i.path,
        text: i.text,
        unitsText: i.unitsText,
        units: i.units,
        lead: i.lead,
        unassigned: i.unassigned,
        deadlineText: i.deadlineText,
        rule: i.rule,
        due: singleDue(i.rule, { issueDate: plan.issueDate, year: plan.year }, calendar),
      }));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else for (const r of rows) io.out(`${r.ref}\t${r.due ?? '-'}\t${r.deadlineText || '(常态化)'}\t${r.units.length} units\t${r.text.slice(0, 30)}`);
    } finally {
      db.$client.close();
    }
  },

  ledger(ctx) {
    const { io, values } = ctx;
    const today = values.at === undefined ? shanghaiDate(io.now()) : date(values, 'at');
    const { db, calendar, plan } = openWithPlan(ctx);
    try {
      const rows = exportRows(db, plan, calendar, today).map((r) => ({
        ref: r.ref,
        unit: r.unit,
        unassigned: r.unassignedLabel,
        role: r.role,
        occurrence: r.occurrence,
        status: r.status,
        due: r.due,
        doneAt: r.doneAt,
        doneBy: r.doneBy,
        onBehalf: r.doneOnBehalf ?? false,
        evidence: r.evidence,
        liaison: r.liaison || null,
      }));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else for (const r of rows) io.out(`${r.ref}\t${r.unit ?? `(${r.unassigned})`}\t${r.occurrence || '-'}\t${r.status}\t${r.due ?? '-'}\t${r.evidence ?? ''}`);
    } finally {
      db.$client.close();
    }
  },

  async export(ctx) {
    const { io, values } = ctx;
    const out = values.out;
    if (typeof out !== 'string') throw new UserError('Name the file to write: export --out FILE.xlsx (or --csv --out FILE.csv).');
    const at = values.at === undefined ? shanghaiDate(io.now()) : date(values, 'at');
    const quarter = typeof values.quarter === 'string' ? values.quarter.toUpperCase() : undefined;
    if (quarter && !quarterRange(quarter)) throw new UserError(`--quarter "${quarter}" is not a quarter written like 2023Q4.`);
    const { db, calendar, plan } = openWithPlan(ctx);
    try {
      privateDir(dirname(resolve(out)));
      const rows = values.csv ? await writeLedgerCsv(out, db, plan, calendar, at) : await (await import('../core/ledger/xlsx.js')).writeLedgerXlsx(out, db, plan, calendar, at, quarter);
      io.out(`Wrote ${rows} ledger rows as of ${at} to ${out}.`);
    } finally {
      db.$client.close();
    }
  },

  async backup({ io, values, files }) {
    const out = values.out;
    if (typeof out !== 'string') throw new UserError('Name the backup file: backup --out FILE.');
    if (resolve(out) === resolve(files.dbPath)) throw new UserError(`${out} is the ledger itself; name another file for the backup.`);
    // a backup often replaces an older one by mistake: overwriting is asked for, never assumed
    if (existsSync(out) && !values.force) throw new UserError(`${out} already exists; name another file, or replace it with --force.`);
    const db = openPath(files.dbPath, false);
    try {
      privateDir(dirname(resolve(out)));
      await backupLedger(db, out);
      io.out(`Backed up the ledger to ${out}.`);
    } finally {
      db.$client.close();
    }
  },

  async restore({ io, values, files }) {
    const from = values.from;
    if (typeof from !== 'string') throw new UserError('Name the backup to restore: restore --from FILE (with the bot stopped).');
    const target = files.dbPath;
    if (existsSync(target)) {
      const db = openPath(target, false);
      try {
        refuseWhileBotRuns(db, target, io.now());
      } finally {
        db.$client.close();
      }
    }
    try {
      const kept = await restoreLedger(from, target, io.now().toISOString().replace(/[:.]/g, '-'));
      io.out(`Restored ${target} from ${from}.${kept ? ` The ledger it replaced is kept as ${kept}.` : ''}`);
    } catch (err) {
      if (err instanceof LedgerError) throw new UserError(`${err.message}.`);
      throw err;
    }
  },

  remind(ctx) {
    const { io, values } = ctx;
    if (!values['dry-run']) throw new UserError('Only --dry-run is possible here; the running bot sends rounds itself (or /remind in the chat).');
    const at = typeof values.at === 'string' ? fromShanghai(values.at) : null;
    if (!at) throw new UserError(`--at must be a time written "YYYY-MM-DD HH:mm"${typeof values.at === 'string' ? `, not "${values.at}"` : ''}.`);
    const { db, calendar, plan } = openWithPlan(ctx);
    try {
      const round = planRound(db, plan, calendar, defaultLadder, at);
      if (!round) return void io.out(`${shanghaiDate(at)} is not a working day: no round.`);
      // the messages the round composes, as if every liaison and the coordinators shared one group
      const names = new Map([...round.blocks.map((b) => [b.contactId, b.name] as const), [COORDINATORS, COORDINATORS]]);
      const placement: Placement = {
        channel: 'dry-run',
        privateMessages: true,
        groupOf: (ids) => new Map(ids.map((id) => [id, 'group'])),
        coordinatorRoom: () => ({ conversationId: 'group', contactIds: [COORDINATORS] }),
      };
      for (const m of roundMessages(round, placement, false, 1500)) {
        const text = m.parts.map((p, i) => (i ? `@${names.get(m.mentions[i - 1]!)}${p}` : p)).join('');
        io.out(`${m.targetKind === 'room' ? '[group]' : `[private ${names.get(m.target)}]`} ${text}`);
      }
      io.out(`(dry run: ${round.intents.length} reminders, nothing sent or recorded)`);
    } finally {
      db.$client.close();
    }
  },

  async simulate({ io, values, positionals, files }) {
    const [file] = positionals;
    if (!file) throw new UserError('Name the transcript to play: simulate FILE [--db FILE].');
    const source = readText(file, 'transcript');
    // without --db: a throw-away ledger, removed afterwards; never the bot's (LIAISON_DB, dbPath)
    const scratch = values.db === undefined ? mkdtempSync(join(tmpdir(), 'liaison-sim-')) : null;
    const dbPath = scratch ? join(scratch, 'ledger.db') : (values.db as string);
    const db = openPath(dbPath);
    try {
      const calendar = loadCalendar(files.holidaysPath);
      const directory = loadDirectory(files.unitsPath);
      // a transcript plays against a plan: the configured one, imported into an empty ledger
      ensurePlan(db, files.planPath, directory, calendar, io.now().toISOString());
      // Wechaty (and the logger) load only for the commands that run the bot
      const [{ simulate }, { silentLog, createLogger }] = await Promise.all([import('./simulate.js'), import('../runtime/log.js')]);
      await simulate(source, { db, calendar, resolver: new UnitResolver(directory), out: io.out, log: io.env.SIM_DEBUG ? createLogger('info') : silentLog, exportDir: join(dirname(resolve(dbPath)), 'exports') });
    } finally {
      db.$client.close();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  },

  due({ io, values, files }) {
    const from = date(values, 'from');
    const raw = values.workdays;
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) > 10_000) {
      throw new UserError(`--workdays must be a whole number of working days from 0 to 10000${raw === undefined ? '' : `, not "${raw}"`}.`);
    }
    const calendar = loadCalendar(files.holidaysPath);
    const result = calendar.workdaysAfter(from, Number(raw));
    calendarWarning(io, calendar, addDays(from, 1), result.date);
    io.out(result.date);
  },

  calendar({ io, values, files }) {
    const from = date(values, 'from');
    const to = date(values, 'to');
    if (to < from) throw new UserError(`--to ${to} is before --from ${from}.`);
    if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 50) throw new UserError('The range is longer than 50 years.');
    const calendar = loadCalendar(files.holidaysPath);
    const days = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      days.push({ date: d, workday: calendar.isWorkday(d), estimated: !calendar.isOfficial(Number(d.slice(0, 4))) });
    }
    calendarWarning(io, calendar, from, to);
    if (values.json) io.out(JSON.stringify(days));
    else for (const d of days) io.out(`${d.date}\t${d.workday ? '工作日' : '休息日'}${d.estimated ? '\t(estimated)' : ''}`);
  },
};

const extra: ParseArgsConfig['options'] = {
  plan: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  workdays: { type: 'string' },
  at: { type: 'string' },
  out: { type: 'string' },
  quarter: { type: 'string' },
  csv: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  year: { type: 'string' },
  issued: { type: 'string' },
};

/** A flag parseArgs refused, in one sentence (its own message runs to two, with advice on '--'). */
function flagProblem(err: Error & { code: string }, command: string): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `liaison ${command} has no option ${quoted}.`;
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `liaison ${command} takes no argument "${quoted}".`;
  return `${err.message.split('. ')[0]!.replace(/\.$/, '')}.`;
}

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return io.out(USAGE), 0;
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`Unknown command "${name}".\n${USAGE}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...common, ...extra }, allowPositionals: name === 'simulate', strict: true });
    if (values.help) return io.out(USAGE), 0;
    await command({ io, values, positionals, files: resolveFiles(values, io.env) });
    return 0;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (err instanceof UserError) io.err(err.message);
    else if (code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${flagProblem(err as Error & { code: string }, name)}\n${USAGE}`);
      return 2;
    } else io.err(`Unexpected error: ${(err as Error).stack ?? err}`);
    return 1;
  }
}
