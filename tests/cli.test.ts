import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../bot/cli/cli.js';
import { openLedger } from '../db/open.js';
import { recordingIo, tempDir } from './helpers.js';

const root = new URL('..', import.meta.url).pathname;

/** Runs the CLI as a user does, in a real process. */
function liaison(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('npm', ['run', '--silent', 'liaison', '--', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A ledger holding the shipped plan, as `liaison import` leaves it. */
async function importedLedger(dir = tempDir()): Promise<string> {
  const db = join(dir, 'ledger.db');
  expect(await main(['import', '--db', db], recordingIo().io)).toBe(0);
  return db;
}

describe('liaison CLI', () => {
  it('imports the plan and prints what it imported', async () => {
    const db = join(tempDir(), 'ledger.db');
    const { io, out, err } = recordingIo();
    expect(await main(['import', '--db', db], io)).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^Imported the 2023 plan \(issued 2023-08-09\): 48 tasks, 200 checklist items, 1 body tasks, 48 units; ledger rows \d+ added, 0 updated, 0 retired\.$/);
    expect(err).toEqual([]);
    const again = recordingIo();
    expect(await main(['import', '--db', db], again.io)).toBe(0);
    expect(again.out[0]).toMatch(/ledger rows 0 added, 0 updated, 0 retired\.$/);
  });

  it('lists items as JSON with rules and due dates', async () => {
    const { io, out, err } = recordingIo();
    expect(await main(['items', '--json', '--db', await importedLedger()], io)).toBe(0);
    expect(err).toEqual([]);
    const items = JSON.parse(out.join('\n')) as Record<string, unknown>[];
    expect(items).toHaveLength(249);
    const byRef = new Map(items.map((i) => [i.ref, i]));
    expect(byRef.get('T17')).toMatchObject({ kind: 'task', due: '2023-09-06', rule: { type: 'after_plan', workdays: 20 }, lead: null });
    expect(byRef.get('T32')).toMatchObject({ lead: '县司法局', units: ['县司法局'], rule: { type: 'fixed', date: '2023-12-31' }, due: '2023-12-31' });
    expect(byRef.get('T6')).toMatchObject({ units: [], unassigned: ['县政府有关部门单位'], rule: { type: 'asap' }, due: null });
    expect(byRef.get('C30')).toMatchObject({ kind: 'checklist', deadlineText: '按月', due: null });
    expect(byRef.get('B1')).toMatchObject({ kind: 'body', due: '2023-08-16' });
    expect((byRef.get('B1')!.units as string[]).length).toBe(46);
    for (const i of items) expect(Object.keys(i)).toEqual(expect.arrayContaining(['ref', 'kind', 'text', 'units', 'lead', 'deadlineText', 'rule', 'due']));
  });

  it('prints the ledger as JSON with each row\'s status on a day', async () => {
    const db = await importedLedger();
    const { io, out } = recordingIo();
    expect(await main(['ledger', '--json', '--db', db, '--at', '2023-09-07'], io)).toBe(0);
    const rows = JSON.parse(out.join('\n')) as Record<string, unknown>[];
    const t17 = rows.filter((r) => r.ref === 'T17');
    expect(t17).toHaveLength(46);
    expect(t17[0]).toEqual({
      ref: 'T17',
      unit: '县政府办公室',
      unassigned: null,
      role: 'responsible',
      occurrence: '',
      status: 'overdue',
      due: '2023-09-06',
      doneAt: null,
      doneBy: null,
      onBehalf: false,
      evidence: null,
      liaison: null,
    });
    expect(rows.find((r) => r.ref === 'T6')).toMatchObject({ unit: null, unassigned: '县政府有关部门单位', status: 'unassigned' });
    expect(rows.find((r) => r.ref === 'T5')).toMatchObject({ unit: '县财政局', status: 'pending', due: '2023-12-31' });
    const early = recordingIo();
    await main(['ledger', '--json', '--db', db, '--at', '2023-09-06'], early.io);
    expect((JSON.parse(early.out.join('\n')) as { ref: string; status: string }[]).find((r) => r.ref === 'T17')!.status).toBe('pending');
  });

  it('says in one sentence what is wrong, and writes nothing', async () => {
    const dir = tempDir();
    const notPlan = join(dir, 'notes.txt');
    writeFileSync(notPlan, '会议纪要\n今天开会。\n');
    const cases: [string[], RegExp][] = [
      [['import', '--db', join(dir, 'a.db'), '--plan', join(dir, 'missing.txt')], /^The plan file .*missing\.txt does not exist\.$/],
      [['import', '--db', join(dir, 'a.db'), '--plan', notPlan], /is not a plan this tool can read: no title line/],
      [['due', '--from', '2023-13-01', '--workdays', '3'], /^--from "2023-13-01" is not a real date written YYYY-MM-DD\.$/],
      [['due', '--from', '2023-08-09', '--workdays', 'ten'], /^--workdays must be a whole number/],
      [['due', '--workdays', '3'], /^--from is required/],
      [['calendar', '--from', '2023-10-10', '--to', '2023-10-01'], /^--to 2023-10-01 is before --from 2023-10-10\.$/],
      [['frobnicate'], /^Unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const { io, out, err } = recordingIo();
      expect(await main(args, io)).not.toBe(0);
      expect(out).toEqual([]);
      expect(err[0]).toMatch(message);
    }
    // the failed imports left no plan behind
    const { io, out } = recordingIo();
    await main(['import', '--db', join(dir, 'a.db')], io);
    expect(out[0]).toMatch(/ledger rows [1-9]\d* added/);
  });

  it('reads an existing ledger only: a missing one is named, never created; an empty one is not filled silently', async () => {
    const dir = tempDir();
    const missing = join(dir, 'typo', 'ledger.db');
    const reads = [['ledger'], ['items'], ['export', '--out', join(dir, 'x.xlsx')], ['backup', '--out', join(dir, 'b.db')], ['remind', '--dry-run', '--at', '2023-08-21 09:00']];
    for (const args of reads) {
      const { io, out, err } = recordingIo();
      expect(await main([...args, '--db', missing], io)).toBe(1);
      expect(out).toEqual([]);
      expect(err).toEqual([`There is no ledger at ${missing}; create it with liaison import, or name the right one with --db or LIAISON_DB.`]);
    }
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    expect(existsSync(join(dir, 'b.db'))).toBe(false);

    const empty = join(dir, 'empty.db');
    openLedger(empty).$client.close();
    for (const args of reads.filter(([name]) => name !== 'backup')) {
      const { io, err } = recordingIo();
      expect(await main([...args, '--db', empty], io)).toBe(1);
      expect(err).toEqual([`The ledger ${empty} has no plan; import one with liaison import.`]);
    }
  });

  it('backs up over an existing file only with --force, and never onto the ledger itself', async () => {
    const dir = tempDir();
    const db = await importedLedger(dir);
    const out = join(dir, 'backup.db');
    writeFileSync(out, 'an older backup');
    const refused = recordingIo();
    expect(await main(['backup', '--db', db, '--out', out], refused.io)).toBe(1);
    expect(refused.err).toEqual([`${out} already exists; name another file, or replace it with --force.`]);
    const forced = recordingIo();
    expect(await main(['backup', '--db', db, '--out', out, '--force'], forced.io)).toBe(0);
    expect(forced.out).toEqual([`Backed up the ledger to ${out}.`]);
    const self = recordingIo();
    expect(await main(['backup', '--db', db, '--out', db, '--force'], self.io)).toBe(1);
    expect(self.err[0]).toMatch(/is the ledger itself/);
  });

  it('uses the ledger npm start uses: --db, else LIAISON_DB, else the config (--config, else LIAISON_CONFIG)', async () => {
    const dir = tempDir();
    const config = (name: string, dbPath?: string) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ coordinators: [{ name: '张主任' }], ...(dbPath ? { dbPath } : {}) }));
      return path;
    };
    const fromConfig = join(dir, 'from-config.db');
    const fromEnvConfig = join(dir, 'from-env-config.db');
    const fromEnv = join(dir, 'from-env.db');
    const fromFlag = join(dir, 'from-flag.db');
    const named = config('named.json', fromConfig);
    const inEnv = config('env.json', fromEnvConfig);
    const which = async (args: string[], env: Record<string, string>) => {
      const { io, err } = recordingIo(undefined, env);
      await main(['ledger', ...args], io);
      return err[0]!.replace(/^There is no ledger at (.*?);.*$/, '$1');
    };
    expect(await which([], { LIAISON_CONFIG: inEnv })).toBe(fromEnvConfig);
    expect(await which(['--config', named], { LIAISON_CONFIG: inEnv })).toBe(fromConfig);
    expect(await which(['--config', named], { LIAISON_DB: fromEnv })).toBe(fromEnv);
    expect(await which(['--config', named, '--db', fromFlag], { LIAISON_DB: fromEnv })).toBe(fromFlag);
    // a config without dbPath: the default, as for npm start
    expect(await which(['--config', config('plain.json')], {})).toBe('data/ledger.db');

    // the import goes where the reading commands look
    expect(await main(['import'], recordingIo(undefined, { LIAISON_DB: fromEnv }).io)).toBe(0);
    const read = recordingIo(undefined, { LIAISON_CONFIG: config('env-db.json', fromEnv) });
    expect(await main(['items'], read.io)).toBe(0);
    expect(read.out).toHaveLength(249);

    // a config named but absent, or broken, is an error; one nobody named may be absent
    const absent = recordingIo(undefined, { LIAISON_CONFIG: join(dir, 'nope.json') });
    expect(await main(['items', '--db', fromEnv], absent.io)).toBe(1);
    expect(absent.err).toEqual([`The config file ${join(dir, 'nope.json')} does not exist; copy config.example.json to ${join(dir, 'nope.json')} and edit it.`]);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ coordinater: [] }));
    const bad = recordingIo();
    expect(await main(['items', '--config', broken], bad.io)).toBe(1);
    expect(bad.err).toEqual([`The config file ${broken} has 2 bad fields: "coordinators" is missing; "coordinater" is not a known key (did you mean "coordinators"?).`]);
  });

  it('prints the usage for help, --help and nothing at all; an unknown flag is one sentence and the usage', async () => {
    for (const args of [[], ['help'], ['--help'], ['-h'], ['ledger', '--help']]) {
      const { io, out, err } = recordingIo();
      expect(await main(args, io)).toBe(0);
      expect(out[0]).toMatch(/^usage: liaison <command> \[options\]\n/);
      expect(err).toEqual([]);
    }
    const { io, out, err } = recordingIo();
    expect(await main(['ledger', '--dbb', 'x.db'], io)).toBe(2);
    expect(out).toEqual([]);
    const [first, ...usage] = err[0]!.split('\n');
    expect(first).toBe('liaison ledger has no option --dbb.');
    expect(usage[0]).toMatch(/^usage: /);
    const value = recordingIo();
    expect(await main(['ledger', '--db'], value.io)).toBe(2);
    expect(value.err[0]!.split('\n')[0]).toMatch(/^Option '--db <value>' argument missing\.$/);
    const dir = tempDir();
    mkdirSync(join(dir, 'ledger.db'));
    const folder = recordingIo();
    expect(await main(['ledger', '--db', join(dir, 'ledger.db')], folder.io)).toBe(1);
    expect(folder.err).toEqual([`${join(dir, 'ledger.db')} is a folder, not a ledger database.`]);
  });

  it('refuses a broken database file', async () => {
    const path = join(tempDir(), 'broken.db');
    writeFileSync(path, 'x'.repeat(4096));
    const { io, err } = recordingIo();
    expect(await main(['import', '--db', path], io)).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/cannot be used as a ledger database/);
  });

  it('runs as `npm run liaison`: due prints the date on its last line and warns about estimated years', async () => {
    const ok = liaison(['due', '--from', '2023-09-20', '--workdays', '20']);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('2023-10-24');
    const estimated = liaison(['due', '--from', '2026-12-31', '--workdays', '1']);
    expect(estimated.code).toBe(0);
    expect(estimated.stdout.trim().split('\n').at(-1)).toBe('2027-01-04');
    expect(estimated.stderr).toMatch(/2027/);
    const bad = liaison(['due', '--from', 'yesterday', '--workdays', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('--from "yesterday" is not a real date written YYYY-MM-DD.');
    expect(liaison([])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: liaison/), stderr: '' });
    const flag = liaison(['ledger', '--frob']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^liaison ledger has no option --frob\.\nusage: liaison/);
    expect(flag.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('gives the same calendar whatever the server time zone', async () => {
    const args = ['--import', 'tsx', 'bot/cli/liaison.ts', 'calendar', '--from', '2023-09-27', '--to', '2023-10-09', '--json'];
    const run = (TZ: string) => execFileSync('node', args, { cwd: root, encoding: 'utf8', env: { ...process.env, TZ } });
    const shanghai = run('Asia/Shanghai');
    expect(run('UTC')).toBe(shanghai);
    expect(run('America/New_York')).toBe(shanghai);
    const days = JSON.parse(shanghai) as { date: string; workday: boolean; estimated: boolean }[];
    expect(days.filter((d) => d.workday).map((d) => d.date)).toEqual(['2023-09-27', '2023-09-28', '2023-10-07', '2023-10-08', '2023-10-09']);
    expect(days.every((d) => !d.estimated)).toBe(true);
    const dueNY = execFileSync('node', ['--import', 'tsx', 'bot/cli/liaison.ts', 'due', '--from', '2026-02-12', '--workdays', '3'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TZ: 'America/New_York' },
    });
    expect(dueNY.trim()).toBe('2026-02-24');
  }, 60_000);

  it('shows what a reminder round would send, without sending or recording', async () => {
    const db = await importedLedger();
    const { io, out } = recordingIo();
    // a Monday: the coordinators hear of the units with no liaison (weekly), B1 being overdue
    expect(await main(['remind', '--dry-run', '--at', '2023-08-21 09:00', '--db', db], io)).toBe(0);
    expect(out[0]).toMatch(/^\[group\] @coordinators 【每日汇总】2023-08-21 周一\n/);
    expect(out[0]).toMatch(/\n【待绑定】46个单位尚无联络员/);
    expect(out[0]).toMatch(/\n【逾期通报】以下事项已逾期，请督促：\nB1（已逾期3个工作日）/);
    expect(out.at(-1)).toBe('(dry run: 46 reminders, nothing sent or recorded)');
    const holiday = recordingIo();
    await main(['remind', '--dry-run', '--at', '2023-10-02 09:00', '--db', db], holiday.io);
    expect(holiday.out).toEqual(['2023-10-02 is not a working day: no round.']);
    const bad = recordingIo();
    expect(await main(['remind', '--dry-run', '--at', 'tomorrow', '--db', db], bad.io)).toBe(1);
    expect(bad.err).toEqual(['--at must be a time written "YYYY-MM-DD HH:mm", not "tomorrow".']);
  });

  it('stops a transcript at an unknown instruction, naming its line', async () => {
    const file = join(tempDir(), 't.txt');
    writeFileSync(file, '# ok\n@2023-08-10 10:00\n! dance\n');
    const { io, err } = recordingIo();
    expect(await main(['simulate', file], io)).toBe(1);
    expect(err).toEqual(['line 3: unknown instruction "! dance".']);
  });

  it('marks estimated days in calendar --json', async () => {
    const { io, out, err } = recordingIo();
    expect(await main(['calendar', '--from', '2026-12-31', '--to', '2027-01-04', '--json'], io)).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual([
      { date: '2026-12-31', workday: true, estimated: false },
      { date: '2027-01-01', workday: false, estimated: true },
      { date: '2027-01-02', workday: false, estimated: true },
      { date: '2027-01-03', workday: false, estimated: true },
      { date: '2027-01-04', workday: true, estimated: true },
    ]);
    expect(err[0]).toMatch(/2027/);
  });
});
