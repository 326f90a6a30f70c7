import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../bot/clock.js';
import { Outbox } from '../bot/outbox.js';
import { openLedger } from '../db/open.js';
import { enqueue, markSending, type OutboxRow } from '../db/outbox.js';
import { recordedReminders, recordReminders } from '../db/reminders.js';
import { assignments, outbox, reminders } from '../db/schema.js';
import { answerMessage } from '../bot/handle.js';
import { quietLog } from './bot-harness.js';
import { ACTORS, freshLedger, ledgerFingerprint } from './fixture-ledger.js';
import { tempDir } from './helpers.js';

const pacing = { minGapMs: 3000, jitterMs: 2000, dailyCap: 5 };
const msg = (text: string) => ({ target: '政务公开联络群', targetKind: 'room' as const, parts: [text], mentions: [] });

function setup(start = '2023-09-04T01:00:00Z', random = () => 0.5) {
  const db = openLedger(join(tempDir(), 'ledger.db'));
  const clock = new VirtualClock(new Date(start));
  const sent: { text: string; at: number }[] = [];
  let failing = false;
  const deliver = async (m: OutboxRow) => {
    if (failing) throw new Error('not logged in');
    sent.push({ text: m.parts.join(''), at: clock.now().getTime() });
  };
  const box = new Outbox(db, clock, pacing, deliver, quietLog, random);
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
    markSending(db, id!); // the process died here, after handing it to WeChat or not
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
    const intents = [{ key: '7:before-10', assignmentId: 7, stepKey: 'before-10', day: '2023-08-23' }];
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

  it('a round leaves out exactly the keys recorded already, on whatever day they were', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    db.$client.exec(`insert into units (id, name, kind) values (1, '县民政局', 'department');
      insert into plans (id, year, title, issue_date, imported_at) values (1, 2023, 'p', '2023-08-09', 'x');
      insert into items (id, plan_id, ref, kind, path, text, units_text, deadline_text, rule) values (1, 1, 'T17', 'task', '[]', 't', 'u', 'd', '{"type":"asap"}');`);
    for (const id of [1, 2, 3, 4]) db.$client.prepare(`insert into assignments (id, item_id, unit_id, role, occurrence, due) values (?, 1, 1, 'responsible', ?, '2023-09-06')`).run(id, `o${id}`);
    const steps = ['before-10', 'before-1', 'due', 'escalate', 'overdue@2023-09-11', 'overdue@2023-09-12', 'overdue@2023-09-13'];
    // recorded on several days, by rounds and by 提醒我
    const recorded: [number, string, string][] = [
      [1, 'before-10', '2023-08-23'], [1, 'escalate', '2023-09-11'], [1, 'overdue@2023-09-11', '2023-09-11'],
      [2, 'due', '2023-09-06'], [2, 'overdue@2023-09-13', '2023-09-13'], [3, 'before-1', '2023-09-13'], [3, 'overdue@2023-09-12', '2023-09-12'],
    ];
    for (const [id, step, day] of recorded) {
      const intent = { key: `${id}:${step}`, assignmentId: id, stepKey: step, day };
      recordReminders(db, [intent], [{ ...msg('提醒'), keys: [intent.key] }], `${day}T01:00:00Z`);
    }
    const keys = new Set(recorded.map(([id, step]) => `${id}:${step}`));
    for (const today of ['2023-09-12', '2023-09-13']) {
      const check = recordedReminders(db, [1, 2, 3, 4], today);
      for (const id of [1, 2, 3, 4]) {
        // only today's overdue step can be asked about on a day: its key holds the day
        for (const step of steps.filter((s) => !s.startsWith('overdue@') || s === `overdue@${today}`)) {
          expect(check(`${id}:${step}`, id, step), `${id}:${step} on ${today}`).toBe(keys.has(`${id}:${step}`));
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
