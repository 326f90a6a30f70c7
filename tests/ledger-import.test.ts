import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { savePlan } from '../db/import.js';
import { LedgerError, openLedger, type Ledger } from '../db/open.js';
import { assignments, items, reports, units } from '../db/schema.js';
import { parsePlan } from '../seeds/parse-plan.js';
import { assignmentSpecs } from '../schedules/assignments.js';
import { calendar, directory, plan, planText, resolver, tempDir } from './helpers.js';

const importText = (db: Ledger, text: string, now = '2023-08-10T01:00:00.000Z') => {
  const p = parsePlan(text, resolver);
  return savePlan(db, p, assignmentSpecs(p, calendar), directory, now);
};
const dump = (db: Ledger) =>
  ['units', 'plans', 'items', 'assignments', 'reports'].map((t) => db.$client.prepare(`select * from ${t} order by 1`).all());

describe('the ledger database', () => {
  it('is created and migrated on first use, in WAL mode with foreign keys on', () => {
    const db = openLedger(join(tempDir(), 'sub', 'ledger.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.select().from(units).all()).toEqual([]);
    db.$client.close();
  });

  it('refuses a file that is not a database, in one sentence', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'this is not sqlite, just some notes that happen to be long enough to look like a header.');
    expect(() => openLedger(path)).toThrow(LedgerError);
    expect(() => openLedger(path)).toThrow(/cannot be used as a ledger database/);
  });

  it('imports every item, unit and ledger row; importing again changes nothing', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    const first = importText(db, planText);
    expect(first).toMatchObject({ year: 2023, tasks: 48, checklist: 200, body: 1, units: directory.units.length, updated: 0, retired: 0 });
    expect(first.added).toBe(assignmentSpecs(plan, calendar).length);
    const before = dump(db);
    const second = importText(db, planText, '2023-08-11T01:00:00.000Z');
    expect(second).toMatchObject({ added: 0, updated: 0, retired: 0 });
    expect(dump(db)).toEqual(before);
    db.$client.close();
  });

  it('updates an edited plan without losing a report already recorded', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    importText(db, planText);
    // a liaison of 县卫生健康局 reported on T2
    const t2 = db.select().from(items).where(eq(items.ref, 'T2')).get()!;
    const health = db.select().from(units).where(eq(units.name, '县卫生健康局')).get()!;
    const row = db.select().from(assignments).where(and(eq(assignments.itemId, t2.id), eq(assignments.unitId, health.id))).get()!;
    const report = db
      .insert(reports)
      .values({ assignmentId: row.id, kind: 'done', evidence: 'https://example.gov.cn/a', authorContactId: 'c1', authorName: '王芳', rawText: '完成 T2 https://example.gov.cn/a', at: '2023-08-20T02:00:00Z' })
      .returning()
      .get();
    db.update(assignments).set({ doneReportId: report.id }).where(eq(assignments.id, row.id)).run();

    // the edited plan drops 县卫生健康局 from T2 and rewords T5
    const edited = planText
      .replace('县商务局、县住房城乡建设局、县文化和旅游局、县卫生健康局', '县商务局、县住房城乡建设局、县文化和旅游局')
      .replace('打造“阳光国企”', '打造“阳光国企”并按季度通报');
    const r = importText(db, edited, '2023-09-01T01:00:00.000Z');
    expect(r).toMatchObject({ added: 0, updated: 2, retired: 1 }); // items T2 and T5; T2's row for 县卫生健康局
    expect(db.select().from(items).where(eq(items.ref, 'T5')).get()!.text).toContain('按季度通报');
    const kept = db.select().from(assignments).where(eq(assignments.id, row.id)).get()!;
    expect(kept).toMatchObject({ doneReportId: report.id, retiredAt: '2023-09-01T01:00:00.000Z' });
    expect(db.select().from(reports).all()).toHaveLength(1);
    const live = db.select().from(assignments).where(and(eq(assignments.itemId, t2.id), isNull(assignments.retiredAt))).all();
    expect(live).toHaveLength(3);

    // putting the unit back revives the same row, report and all
    const back = importText(db, planText, '2023-09-02T01:00:00.000Z');
    expect(back).toMatchObject({ added: 0, updated: 3, retired: 0 }); // items T2 and T5, and the revived row
    expect(db.select().from(assignments).where(eq(assignments.id, row.id)).get()).toMatchObject({ retiredAt: null, doneReportId: report.id });
    db.$client.close();
  });

  it('writes nothing when a plan cannot be saved', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    const p = parsePlan(planText, resolver);
    const specs = assignmentSpecs(p, calendar);
    // a row for a unit that is not in the directory breaks the import half-way
    specs.splice(100, 0, { ...specs[0]!, unit: '不存在的单位' });
    expect(() => savePlan(db, p, specs, directory, '2023-08-10T01:00:00.000Z')).toThrow(/不存在的单位/);
    expect(dump(db)).toEqual([[], [], [], [], []]);
    db.$client.close();
  });
});
