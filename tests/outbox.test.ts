import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../bot/runtime/clock.js';
import { Outbox } from '../bot/outbox/outbox.js';
import { openLedger } from '../db/open.js';
import { claim, enqueue, type OutboxRow } from '../db/outbox.js';
import { recordedReminders, recordReminders } from '../db/reminders.js';
import { assignments, outbox, overduePings, reminders } from '../db/schema.js';
import { answerMessage } from '../bot/core/inbound.js';
import { silentLog } from '../bot/runtime/log.js';
import { ACTORS, freshLedger, ledgerFingerprint } from './fixture-ledger.js';
import { seedFiles } from '../seeds/files.js';
import { tempDir } from './helpers.js';

const pacing = { minGapMs: 3000, jitterMs: 2000, dailyCap: 5 };
const msg = (text: string) => ({ channel: 'wechaty', target: '政务公开联络群', targetKind: 'room' as const, parts: [text], mentions: [] });

function setup(start = '2023-09-04T01:00:00Z', random = () => 0.5) {
  const db = openLedger(join(tempDir(), 'ledger.db'));
  const clock = new VirtualClock(new Date(start));
  const sent: { text: string; at: number }[] = [];
  let failing = false;
  const deliver = async (m: OutboxRow) => {
    if (failing) throw new Error('not logged in');
    sent.push({ text: m.parts.join(''), at: clock.now().getTime() });
  };
  const box = new Outbox(db, clock, pacing, deliver, silentLog, random);
  return { db, clock, sent, box, fail: (f: boolean) => (failing = f) };
}

describe('the outbox', () => {
  it('keeps the minimum gap plus jitter between messages, on the injected clock', async () => {
    const jitter = [0, 0.999, 0.5];
    const { db, box, sent, clock } = setup('2023-09-04T01:00:00Z', () => jitter.shift() ?? 0);
    const start = clock.now().getTime();
    enqueue(db, ['a', 'b', 'c', 'd'].map(msg), clock.now().toISOString());
    await box.drain();
    expect(sent.map((s) => s.text)).toEqual(['a', 'b', 'c', 'd']);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(gaps).toEqual([3000, 4998, 4000]);
    expect(sent[0]!.at).toBe(start); // the first message waits for nothing
  });

  it('stops at the daily cap and sends the rest the next day', async () => {
    const { db, box, sent, clock } = setup('2023-09-04T01:00:00Z');
    enqueue(db, Array.from({ length: 8 }, (_, i) => msg(`m${i}`)), clock.now().toISOString());
    await box.drain();
    expect(sent).toHaveLength(5);
    clock.set(new Date('2023-09-04T15:00:00Z')); // 23:00 in Shanghai: still the same day
    await box.drain();
    expect(sent).toHaveLength(5);
    clock.set(new Date('2023-09-04T16:01:00Z')); // 00:01 on 09-05 in Shanghai
    await box.drain();
    expect(sent.map((s) => s.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  });

  it('keeps what could not be sent, retries with back-off, and sends it once after a login', async () => {
    const { db, box, sent, clock, fail } = setup();
    fail(true);
    enqueue(db, [msg('hello')], clock.now().toISOString());
    await box.drain();
    await box.drain(); // within the back-off: not even tried
    const row = db.select().from(outbox).get()!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'not logged in' });
    expect(new Date(row.notBefore).getTime() - clock.now().getTime()).toBe(5000);
    fail(false);
    await box.loggedIn();
    await box.drain();
    expect(sent.map((s) => s.text)).toEqual(['hello']);
    expect(db.select().from(outbox).get()!.status).toBe('sent');
  });

  it('never resends a message a crash left half-sent', async () => {
    const { db, box, sent, clock } = setup();
    const [id] = enqueue(db, [msg('maybe sent')], clock.now().toISOString());
    claim(db, id!); // the process died here, after handing it to WeChat or not
    box.recover();
    await box.drain();
    expect(sent).toEqual([]);
    expect(db.select().from(outbox).where(eq(outbox.id, id!)).get()!.status).toBe('abandoned');
  });
});

describe('reminder keys', () => {
  it('are recorded with the message that carries them, and never queued twice', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    db.$client.exec(`insert into units (id, name, kind) values (1, '县民政局', 'department');
      insert into plans (id, year, title, issue_date, imported_at) values (1, 2023, 'p', '2023-08-09', 'x');
      insert into items (id, plan_id, ref, kind, path, text, units_text, deadline_text, rule) values (1, 1, 'T17', 'task', '[]', 't', 'u', 'd', '{"type":"asap"}');
      insert into assignments (id, item_id, unit_id, role, occurrence, due) values (7, 1, 1, 'responsible', '', '2023-09-06');`);
    const intents = [{ key: '7:before-10', assignmentId: 7, stepKey: 'before-10', day: '2023-08-23', row: { unitId: 1 } }];
    const message = { ...msg('提醒'), keys: ['7:before-10'] };
    expect(recordReminders(db, intents, [message], '2023-08-23T01:00:00Z')).toHaveLength(1);
    // a second process, a replayed clock or a restart plans the same round again
    expect(recordReminders(db, intents, [message], '2023-08-23T01:05:00Z')).toEqual([]);
    expect(db.select().from(outbox).all()).toHaveLength(1);
    expect(db.select().from(reminders).all()).toEqual([
      { key: '7:before-10', assignmentId: 7, step: 'before-10', day: '2023-08-23', outboxId: 1, createdAt: '2023-08-23T01:00:00Z' },
    ]);
    expect(db.select().from(assignments).all()).toHaveLength(1);
  });

  it('a round leaves out exactly the reminders recorded already, on whatever day they were', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    db.$client.exec(`insert into units (id, name, kind) values (1, '县民政局', 'department'), (2, '县财政局', 'department');
      insert into plans (id, year, title, issue_date, imported_at) values (1, 2023, 'p', '2023-08-09', 'x');
      insert into items (id, plan_id, ref, kind, path, text, units_text, deadline_text, rule) values (1, 1, 'T17', 'task', '[]', 't', 'u', 'd', '{"type":"asap"}');`);
    // rows 1 and 2 of 县民政局, 3 and 4 of 县财政局
    const unitOf = (id: number) => (id <= 2 ? 1 : 2);
    for (const id of [1, 2, 3, 4]) db.$client.prepare(`insert into assignments (id, item_id, unit_id, role, occurrence, due) values (?, 1, ?, 'responsible', ?, '2023-09-06')`).run(id, unitOf(id), `o${id}`);
    const intent = (id: number, stepKey: string, day: string) => ({ key: `${id}:${stepKey}`, assignmentId: id, stepKey, day, row: { unitId: unitOf(id) } });
    // recorded on several days, by rounds and by 提醒我
    const recorded = [
      intent(1, 'before-10', '2023-08-23'), intent(1, 'escalate', '2023-09-11'), intent(1, 'overdue@2023-09-11', '2023-09-11'),
      intent(2, 'due', '2023-09-06'), intent(2, 'overdue@2023-09-13', '2023-09-13'), intent(3, 'before-1', '2023-09-13'), intent(3, 'overdue@2023-09-12', '2023-09-12'),
    ];
    for (const r of recorded) recordReminders(db, [r], [{ ...msg('提醒'), keys: [r.key] }], `${r.day}T01:00:00Z`);
    const once = new Set(recorded.filter((r) => !r.stepKey.startsWith('overdue@')).map((r) => r.key));
    // a unit's overdue pings of a day are one record: its digest carried all of them
    const pinged = new Set(recorded.filter((r) => r.stepKey.startsWith('overdue@')).map((r) => `${r.row.unitId}@${r.day}`));
    expect(db.select().from(overduePings).all()).toHaveLength(3);
    for (const today of ['2023-09-11', '2023-09-12', '2023-09-13']) {
      const check = recordedReminders(db, [1, 2, 3, 4], today);
      for (const id of [1, 2, 3, 4]) {
        // only today's overdue step can be asked about on a day: its key holds the day
        for (const step of ['before-10', 'before-1', 'due', 'escalate', `overdue@${today}`]) {
          const expected = step.startsWith('overdue@') ? pinged.has(`${unitOf(id)}@${today}`) : once.has(`${id}:${step}`);
          expect(check(intent(id, step, today)), `${id}:${step} on ${today}`).toBe(expected);
        }
      }
    }
  });
});

describe('a reply', () => {
  const report = { text: '完成 T12 https://www.yiyuan.gov.cn/a.html', addressed: false, actor: ACTORS.liaison, isCoordinator: false };

  it('is queued in the transaction of the report it answers', async () => {
    const { db, deps } = freshLedger();
    const reply = await answerMessage(report, deps, (r) => enqueue(db, [msg(r.text)], '2023-09-04T02:00:00Z'));
    expect(reply!.text).toContain('已记录');
    expect(db.select().from(outbox).all().map((m) => m.parts.join(''))).toEqual([reply!.text]);
    expect(db.$client.prepare('select count(*) n from reports').get()).toEqual({ n: 1 });
  });

  it('that cannot be queued takes the report back with it: nothing is recorded that was not answered', async () => {
    const { db, deps } = freshLedger();
    const before = ledgerFingerprint(db);
    await expect(
      answerMessage(report, deps, () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(ledgerFingerprint(db)).toBe(before);
    expect(db.select().from(outbox).all()).toEqual([]);
  });
});

describe('the 0001 migration', () => {
  it('turns daily overdue keys recorded one per row into one ping per unit and day', () => {
    // a ledger as the first release left it: migrated to 0000 only, with per-row overdue keys
    const old = join(tempDir(), 'migrations');
    mkdirSync(join(old, 'meta'), { recursive: true });
    copyFileSync(join(seedFiles.migrations, '0000_init.sql'), join(old, '0000_init.sql'));
    const journal = JSON.parse(readFileSync(join(seedFiles.migrations, 'meta/_journal.json'), 'utf8'));
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
    const path = join(tempDir(), 'ledger.db');
    const client = new Database(path);
    migrate(drizzle(client), { migrationsFolder: old });
    client.exec(`insert into units (id, name, kind) values (1, '县民政局', 'department'), (2, '县财政局', 'department');
      insert into plans (id, year, title, issue_date, imported_at) values (1, 2023, 'p', '2023-08-09', 'x');
      insert into items (id, plan_id, ref, kind, path, text, units_text, deadline_text, rule) values (1, 1, 'T17', 'task', '[]', 't', 'u', 'd', '{"type":"asap"}');
      insert into assignments (id, item_id, unit_id, role, occurrence, due) values (1, 1, 1, 'responsible', 'a', '2023-09-06'), (2, 1, 1, 'responsible', 'b', '2023-09-06'), (3, 1, 2, 'responsible', 'c', '2023-09-06');
      insert into outbox (id, target, target_kind, parts, mentions, created_at, not_before) values (5, 'g', 'room', '[]', '[]', 'x', 'x'), (6, 'g', 'room', '[]', '[]', 'x', 'x');
      insert into reminders (key, assignment_id, step, day, outbox_id, created_at) values
        ('1:escalate', 1, 'escalate', '2023-09-11', 5, 't1'), ('1:overdue@2023-09-11', 1, 'overdue@2023-09-11', '2023-09-11', 5, 't1'),
        ('2:overdue@2023-09-11', 2, 'overdue@2023-09-11', '2023-09-11', 5, 't1'), ('3:overdue@2023-09-11', 3, 'overdue@2023-09-11', '2023-09-11', 6, 't1'),
        ('3:overdue@2023-09-12', 3, 'overdue@2023-09-12', '2023-09-12', 6, 't2');`);
    client.close();
    const db = openLedger(path);
    expect(db.select().from(reminders).all().map((r) => r.key)).toEqual(['1:escalate']);
    expect(db.select().from(overduePings).orderBy(overduePings.day, overduePings.unitId).all()).toEqual([
      { unitId: 1, day: '2023-09-11', outboxId: 5, createdAt: 't1' },
      { unitId: 2, day: '2023-09-11', outboxId: 6, createdAt: 't1' },
      { unitId: 2, day: '2023-09-12', outboxId: 6, createdAt: 't2' },
    ]);
  });
});
