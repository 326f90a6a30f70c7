import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePlan } from '../bot/runtime/setup.js';
import { VirtualClock } from '../bot/runtime/clock.js';
import type { HandlerDeps } from '../bot/core/inbound.js';
import { decideRequest, requestBinding, unitByName } from '../db/liaisons.js';
import { openLedger, type Ledger } from '../db/open.js';
import { seedFiles } from '../seeds/files.js';
import { defaultLadder } from '../schedules/ladder.js';
import { calendar, directory, resolver, tempDir } from './helpers.js';

export const ACTORS = {
  coordinator: { contactId: 'c-coord', name: '张主任' },
  liaison: { contactId: 'c-wang', name: '王芳' }, // 县民政局
  otherLiaison: { contactId: 'c-liu', name: '刘洋' }, // 县财政局
  unbound: { contactId: 'c-sun', name: '孙丽' },
  renamed: { contactId: 'c-imposter', name: '王芳' }, // another contact that took 王芳's name
};

let template: string | undefined;

/** A ledger with the 2023 plan, two approved liaisons and a pending request (赵强, 县商务局). */
function build(): string {
  const path = join(tempDir(), 'template.db');
  const db = openLedger(path);
  const now = '2023-09-01T01:00:00Z';
  ensurePlan(db, seedFiles.plan, directory, calendar, now);
  for (const [actor, unit] of [[ACTORS.liaison, '县民政局'], [ACTORS.otherLiaison, '县财政局']] as const) {
    const r = requestBinding(db, { ...actor, unitId: unitByName(db, unit)!.id, now });
    decideRequest(db, r.binding.id, 'approved', '张主任', now);
  }
  requestBinding(db, { contactId: 'c-zhao', name: '赵强', unitId: unitByName(db, '县商务局')!.id, now });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  return path;
}

/** A fresh copy of that ledger, with handler deps on a fixed clock (2023-09-04 10:00 Shanghai). */
export function freshLedger(): { db: Ledger; deps: HandlerDeps } {
  template ??= build();
  const path = join(tempDir(), 'ledger.db');
  copyFileSync(template, path);
  const db = openLedger(path);
  const clock = new VirtualClock(new Date('2023-09-04T02:00:00Z'));
  return { db, deps: { db, calendar, ladder: defaultLadder, resolver, now: () => clock.now(), exportDir: join(tempDir(), 'exports') } };
}

/** What a command may change in the ledger (bindings aside): reports, completions, dates, rows. */
export function ledgerFingerprint(db: Ledger): string {
  const q = (sql: string) => JSON.stringify(db.$client.prepare(sql).all());
  return [
    q('select count(*), max(id) from reports'),
    q('select count(*), sum(done_report_id), count(due), count(retired_at), max(id) from assignments'),
  ].join('|');
}

export function bindingsFingerprint(db: Ledger): string {
  return JSON.stringify(db.$client.prepare('select id, contact_id, unit_id, status from liaisons order by id').all());
}
