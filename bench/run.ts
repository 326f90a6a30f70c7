// npm run bench [-- --json] [-- --scales county,city,province]
// Each figure is measured beside a bare baseline in the same run, so the ratio holds on a
// noisy machine. Synthetic ledgers are generated here; nothing is downloaded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { answerMessage, handleMessage, type HandlerDeps } from '../bot/core/inbound.js';
import { roundMessages, planRound } from '../bot/core/reminders/rounds.js';
import { ensurePlan, loadDirectory } from '../bot/runtime/setup.js';
import { decideRequest, requestBinding } from '../db/liaisons.js';
import { openLedger, type Ledger } from '../db/open.js';
import { enqueue } from '../db/outbox.js';
import { currentPlan } from '../db/queries.js';
import { allUnits, bareDueRows, bareInsert, bareReport, bareStatus, fillSynthetic, openRowsToReport, type Scale } from '../db/synthetic.js';
import { seedFiles } from '../seeds/files.js';
import { UnitResolver } from '../seeds/units.js';
import { officialCalendar } from '../schedules/official.js';
import { defaultLadder, ladderWindows } from '../schedules/ladder.js';
import { fromShanghai } from '../schedules/clock.js';
import { mentionFirst } from '../bot/core/text/messages.js';

const SCALES: Scale[] = [
  { name: 'county', units: 60, itemsPerUnit: 260 },
  { name: 'city', units: 500, itemsPerUnit: 260 },
  { name: 'province', units: 7700, itemsPerUnit: 260 },
];
const TODAY = '2023-09-15';
const NOW = fromShanghai(`${TODAY} 09:00`)!;
const calendar = officialCalendar();
const json = process.argv.includes('--json');
const only = process.argv.find((a) => a.startsWith('--scales='))?.slice(9).split(',');

/** Median wall time of `runs` calls after one warm-up call (compiled code, prepared statements), in milliseconds. */
async function median(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** A new ledger in its own folder; `done` closes it and removes the folder (a province is ~400 MB). */
function freshDb(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const db = openLedger(join(dir, 'ledger.db'));
  return { db, done: () => (db.$client.close(), rmSync(dir, { recursive: true, force: true })) };
}
const resolverFor = (db: Ledger) => new UnitResolver({ aliases: {}, units: allUnits(db) });
const depsFor = (db: Ledger): HandlerDeps => ({ db, calendar, ladder: defaultLadder, resolver: resolverFor(db), now: () => NOW, exportDir: tmpdir() });

type Figure = { value: number; baseline: number; ratio: number; unit: string; extra?: Record<string, number> };
const results: Record<string, Record<string, Figure>> = {};
const put = (scale: string, name: string, f: Figure) => ((results[scale] ??= {})[name] = f);

async function measureScale(scale: Scale) {
  const { db, done } = freshDb(scale.name);
  const t = performance.now();
  const assignments = fillSynthetic(db, scale, TODAY);
  const fillMs = performance.now() - t;
  const plan = currentPlan(db)!;
  const windows = ladderWindows(TODAY, calendar);

  // round: what is due now, planned from the ledger
  let due = 0;
  // a province round takes seconds: fewer runs there
  const runs = scale.units > 1000 ? 3 : 11;
  const round = await median(runs, () => (due = planRound(db, plan, calendar, defaultLadder, NOW)!.intents.length));
  const bare = await median(runs, () => bareDueRows(db, TODAY, windows));
  put(scale.name, 'round', { value: round, baseline: bare, ratio: round / bare, unit: 'ms', extra: { assignments, reminders: due, usPerAssignment: (round * 1000) / assignments, fillMs } });

  // status: the coordinator's county /status
  const deps = depsFor(db);
  const coordinator = { text: '/status', addressed: true, actor: { contactId: 'coord', name: '协调员' }, isCoordinator: true };
  const status = await median(runs, () => handleMessage(coordinator, deps));
  const bareAgg = await median(runs, () => bareStatus(db, TODAY));
  put(scale.name, 'status', { value: status, baseline: bareAgg, ratio: status / bareAgg, unit: 'ms' });

  // report: a completion from text to committed row and queued reply, without a puppet
  const n = 2000;
  const insert = bareInsert(db);
  const rows = openRowsToReport(db, TODAY, 2 * n);
  const [open, forBare] = [rows.slice(0, n), rows.slice(n)];
  let i = 0;
  const t0 = performance.now();
  for (const row of open) {
    const contactId = `contact-${row.u}`;
    // the reply is queued in the report's own transaction, as the bot does
    await answerMessage(
      { text: `完成 ${row.ref} https://example.gov.cn/${i++}`, addressed: false, actor: { contactId, name: `联络员${row.u}` }, isCoordinator: false },
      deps,
      (reply) => enqueue(db, [{ channel: 'wechaty', target: '政务公开联络群', targetKind: 'room', ...mentionFirst([contactId], reply.text) }], NOW.toISOString()),
    );
  }
  const perSecond = (open.length * 1000) / (performance.now() - t0);
  const t1 = performance.now();
  for (const row of open) insert(row.id, NOW.toISOString());
  const barePerSecond = (open.length * 1000) / (performance.now() - t1);
  // the same statements as bare SQL: what any implementation of a report pays here
  const sqlOnly = bareReport(db);
  const t2 = performance.now();
  for (const row of forBare) sqlOnly(row, NOW.toISOString());
  const sqlPerSecond = (forBare.length * 1000) / (performance.now() - t2);
  put(scale.name, 'report', { value: perSecond, baseline: barePerSecond, ratio: barePerSecond / perSecond, unit: 'reports/s', extra: { sqlOnlyPerSecond: sqlPerSecond } });
  done();
}

/** Messages of one round for the 2023 plan, every unit bound, on a busy day, against one per item. */
async function measureMessages() {
  const { db, done } = freshDb('messages');
  const directory = loadDirectory(seedFiles.units);
  ensurePlan(db, seedFiles.plan, directory, calendar, '2023-08-10T01:00:00Z');
  const units = allUnits(db);
  for (const u of units) {
    const r = requestBinding(db, { contactId: `c-${u.id}`, name: `联络员${u.id}`, unitId: u.id, now: '2023-08-10T01:00:00Z' });
    decideRequest(db, r.binding.id, 'approved', '协调员', '2023-08-10T01:00:00Z');
  }
  const busy = fromShanghai('2023-10-09 09:00')!; // after 国庆: the quarter's self-checks and many overdue items
  const plan = planRound(db, currentPlan(db)!, calendar, defaultLadder, busy)!;
  const placement = { channel: 'wechaty', privateMessages: true, groupOf: (ids: string[]) => new Map(ids.map((id) => [id, '政务公开联络群'])), coordinatorRoom: () => ({ conversationId: '政务公开联络群', contactIds: ['coord'] }) };
  const messages = roundMessages(plan, placement, false, 1500);
  const naive = plan.intents.length;
  put('2023 plan', 'messages', { value: messages.length, baseline: naive, ratio: messages.length / naive, unit: 'messages', extra: { units: units.length } });
  // people read characters: what the group receives that day, against the 2,500 the busiest day may have
  const groupChars = messages.filter((m) => m.target === '政务公开联络群').reduce((n, m) => n + m.parts.join('').length, 0);
  put('2023 plan', 'groupChars', { value: groupChars, baseline: 2500, ratio: groupChars / 2500, unit: 'characters' });
  done();
}

function measureStartup() {
  const run = (args: string[]) => {
    const out = execFileSync('node', args, { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; rss: number };
  };
  // the built probe, started as `npm start` starts the bot (plain node on dist/)
  const probe = [0, 1, 2].map(() => run([fileURLToPath(new URL('./startup-probe.js', import.meta.url))])).sort((a, b) => a.ms - b.ms)[1]!;
  const base = [0, 1, 2]
    .map(() => run(['-e', "import('wechaty').then(() => console.log(JSON.stringify({ ms: process.uptime() * 1000, rss: process.resourceUsage().maxRSS * 1024 })))"]))
    .sort((a, b) => a.ms - b.ms)[1]!;
  put('2023 plan', 'startup', { value: probe.ms, baseline: base.ms, ratio: probe.ms / base.ms, unit: 'ms', extra: { peakRssMB: probe.rss / 2 ** 20, baselineRssMB: base.rss / 2 ** 20, overMs: probe.ms - base.ms } });
}

for (const scale of SCALES.filter((s) => !only || only.includes(s.name))) await measureScale(scale);
await measureMessages();
measureStartup();

const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGB: Math.round(totalmem() / 2 ** 30) };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
} else {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  process.stdout.write(`machine: node ${machine.node}, ${machine.cpus} × ${machine.cpu}, ${machine.memoryGB} GB\n`);
  process.stdout.write(`${'scale'.padEnd(10)} ${'figure'.padEnd(9)} ${'value'.padStart(10)} ${'baseline'.padStart(10)} ${'ratio'.padStart(7)}  unit / notes\n`);
  for (const [scale, figures] of Object.entries(results)) {
    for (const [name, f] of Object.entries(figures)) {
      const extra = f.extra ? Object.entries(f.extra).map(([k, v]) => `${k}=${fmt(v)}`).join(' ') : '';
      process.stdout.write(`${scale.padEnd(10)} ${name.padEnd(9)} ${fmt(f.value).padStart(10)} ${fmt(f.baseline).padStart(10)} ${f.ratio.toFixed(2).padStart(7)}  ${f.unit} ${extra}\n`);
    }
  }
}
