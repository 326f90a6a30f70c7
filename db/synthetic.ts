// Synthetic ledgers for the benchmarks (bench/), and the bare SQL they are measured against.
import type { Ledger } from './open.js';

export type Scale = { name: string; units: number; itemsPerUnit: number };

/** Days of the plan year spread over the items: item i is due on day offset(i). */
const dueOf = (year: number, i: number, items: number) => {
  const d = new Date(Date.UTC(year, 0, 15 + Math.floor((i * 340) / items)));
  return d.toISOString().slice(0, 10);
};

/**
 * Fills an empty ledger with `units` units, each with one approved liaison and every item of a
 * synthetic plan; rows due before `today` are 90 % done. Returns the number of assignments.
 */
export function fillSynthetic(db: Ledger, scale: Scale, today: string): number {
  const c = db.$client;
  c.exec(`insert into plans (id, year, title, issue_date, imported_at) values (1, 2023, '合成方案', '2023-01-10', '2023-01-10T00:00:00Z');`);
  const fill = c.transaction(() => {
    const unit = c.prepare(`insert into units (id, name, kind) values (?, ?, 'department')`);
    const liaison = c.prepare(`insert into liaisons (contact_id, name, unit_id, status, requested_at) values (?, ?, ?, 'approved', '2023-01-10')`);
    for (let u = 1; u <= scale.units; u++) {
      unit.run(u, `单位${u}`);
      liaison.run(`contact-${u}`, `联络员${u}`, u);
    }
    const item = c.prepare(
      `insert into items (id, plan_id, ref, kind, path, text, units_text, deadline_text, rule) values (?, 1, ?, 'task', '["合成任务"]', ?, '各级各部门单位', '年底前完成', '{"type":"fixed","date":"2023-12-31"}')`,
    );
    for (let i = 1; i <= scale.itemsPerUnit; i++) item.run(i, `T${i}`, `合成工作要求第${i}项，按要求在网站公开相关信息`);
    c.prepare(`insert into reports (id, assignment_id, kind, evidence, author_contact_id, author_name, raw_text, at) values (1, 1, 'done', 'https://example.gov.cn/x', 'contact-1', '联络员1', '完成', '2023-01-11T01:00:00Z')`);
    const row = c.prepare(`insert into assignments (item_id, unit_id, role, occurrence, due, done_report_id) values (?, ?, 'responsible', '', ?, ?)`);
    let n = 0;
    for (let i = 1; i <= scale.itemsPerUnit; i++) {
      const due = dueOf(2023, i, scale.itemsPerUnit);
      for (let u = 1; u <= scale.units; u++) {
        n++;
        row.run(i, u, due, due < today && n % 10 !== 0 ? 1 : null);
      }
    }
    return n;
  });
  c.pragma('foreign_keys = OFF'); // report 1 refers to assignment 1, written just after it
  const n = fill();
  c.pragma('foreign_keys = ON');
  return n;
}

/** The bare query a round is measured against: the open rows it must look at, one indexed search per due range. */
export function bareDueRows(db: Ledger, today: string, windows: { from: string; to: string }[]): number {
  const open = 'select id, due, unit_id from assignments where done_report_id is null and retired_at is null and unit_id is not null';
  const sql = [`${open} and due >= '2023-01-10' and due < ?`, ...windows.map(() => `${open} and due between ? and ?`)].join(' union all ');
  return db.$client.prepare(sql).all(today, ...windows.flatMap((w) => [w.from, w.to])).length;
}

/** A bare insert of one report in its own transaction, the baseline of the report figure. */
export function bareInsert(db: Ledger): (assignmentId: number, at: string) => void {
  const insert = db.$client.prepare(
    `insert into reports (assignment_id, kind, evidence, author_contact_id, author_name, raw_text, at) values (?, 'done', 'https://example.gov.cn/a', 'c', 'n', 'raw', ?)`,
  );
  return db.$client.transaction((assignmentId: number, at: string) => void insert.run(assignmentId, at));
}

/**
 * A report's own statements as bare SQL in one transaction: the plan, the contact's bindings,
 * the item, its rows for the unit, then the report, the completed row and the queued reply.
 * Not a baseline of the issue's: it shows how much of a report is the SQL a report needs.
 */
export function bareReport(db: Ledger): (row: { id: number; u: number; ref: string }, at: string) => void {
  const c = db.$client;
  const plan = c.prepare('select id from plans where year = (select max(year) from plans)');
  const bindings = c.prepare(`select l.id, l.unit_id, u.name from liaisons l join units u on u.id = l.unit_id where l.contact_id = ? and l.status = 'approved' order by l.id`);
  const item = c.prepare('select * from items where plan_id = ? and ref = ? and retired_at is null');
  const rows = c.prepare('select a.*, u.name unit from assignments a left join units u on u.id = a.unit_id where a.item_id = ? and a.retired_at is null and a.unit_id = ?');
  const report = c.prepare(`insert into reports (assignment_id, kind, evidence, author_contact_id, author_name, raw_text, at) values (?, 'done', 'https://example.gov.cn/a', ?, 'n', 'raw', ?) returning id`);
  const complete = c.prepare('update assignments set done_report_id = ? where id = ? and done_report_id is null');
  const reply = c.prepare(`insert into outbox (target, target_kind, parts, mentions, created_at, not_before) values ('政务公开联络群', 'room', '["", " 已记录"]', ?, ?, ?)`);
  return c.transaction((row: { id: number; u: number; ref: string }, at: string) => {
    const contact = `contact-${row.u}`;
    const { id: planId } = plan.get() as { id: number };
    bindings.all(contact);
    const { id: itemId } = item.get(planId, row.ref) as { id: number };
    rows.all(itemId, row.u);
    const { id } = report.get(row.id, contact, at) as { id: number };
    complete.run(id, row.id);
    reply.run(JSON.stringify([contact]), at, at);
  });
}

/** The county status aggregate in one query: the baseline of /status. */
export function bareStatus(db: Ledger, today: string): number {
  return db.$client
    .prepare(
      `select u.id, count(*), sum(a.done_report_id is not null), sum(a.done_report_id is null and a.due < ?)
       from assignments a join units u on u.id = a.unit_id where a.retired_at is null group by u.id`,
    )
    .all(today).length;
}

/** Every unit's id and name (the bench binds a liaison to each). */
export function allUnits(db: Ledger): { id: number; name: string; kind: 'department' }[] {
  return db.$client.prepare('select id, name, kind from units').all() as { id: number; name: string; kind: 'department' }[];
}

/** Open rows not yet due, for the report benchmark to complete. */
export function openRowsToReport(db: Ledger, today: string, limit: number): { id: number; u: number; ref: string }[] {
  return db.$client
    .prepare(`select a.id, a.unit_id u, i.ref from assignments a join items i on i.id = a.item_id where a.done_report_id is null and a.due > ? limit ?`)
    .all(today, limit) as { id: number; u: number; ref: string }[];
}
