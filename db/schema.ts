import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ReadPlan } from '../seeds/parse-plan.js';

/** 单位: a department, town, zone or public enterprise that can be given tasks. */
export const units = sqliteTable('units', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: ['department', 'town', 'zone', 'enterprise'] }).notNull(),
});

/** 工作方案: one plan document per year. */
export const plans = sqliteTable('plans', {
  id: integer('id').primaryKey(),
  year: integer('year').notNull().unique(),
  title: text('title').notNull(),
  issueDate: text('issue_date').notNull(),
  importedAt: text('imported_at').notNull(),
});

/** A task (T), checklist item (C) or body task (B) of a plan. */
export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id),
    ref: text('ref').notNull(),
    kind: text('kind', { enum: ['task', 'checklist', 'body'] }).notNull(),
    /** JSON array: 工作任务 and sub-category, or 一级…四级指标 */
    path: text('path', { mode: 'json' }).$type<string[]>().notNull(),
    text: text('text').notNull(),
    unitsText: text('units_text').notNull(),
    lead: text('lead'),
    deadlineText: text('deadline_text').notNull(),
    /** JSON of the parsed rule (seeds/plan-types.ts) */
    rule: text('rule', { mode: 'json' }).notNull(),
    /** an edited plan no longer has this item; kept because reports refer to it */
    retiredAt: text('retired_at'),
  },
  (t) => [uniqueIndex('items_plan_ref').on(t.planId, t.ref)],
);

/**
 * 台账条目: an item for one unit and one occurrence. An unassigned part of an item
 * (有关部门单位, a unit not in the directory) is a row with no unit and its label.
 */
export const assignments = sqliteTable(
  'assignments',
  {
    id: integer('id').primaryKey(),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    unitId: integer('unit_id').references(() => units.id),
    unassignedLabel: text('unassigned_label'),
    role: text('role', { enum: ['responsible', 'lead', 'cooperating'] }).notNull(),
    /** plan rows are kept in step with the plan on re-import; event and coordinator rows are not */
    source: text('source', { enum: ['plan', 'event', 'coordinator'] }).notNull().default('plan'),
    /** '' for an item done once; '2023-09', '2023-Q4', an event date … otherwise */
    occurrence: text('occurrence').notNull().default(''),
    due: text('due'),
    dueEstimated: integer('due_estimated', { mode: 'boolean' }).notNull().default(false),
    /** the first completion report; later ones are history */
    doneReportId: integer('done_report_id'),
    retiredAt: text('retired_at'),
  },
  (t) => [
    uniqueIndex('assignments_unit_occurrence')
      .on(t.itemId, t.unitId, t.occurrence)
      .where(sql`unit_id is not null`),
    uniqueIndex('assignments_unassigned_occurrence')
      .on(t.itemId, t.unassignedLabel, t.occurrence)
      .where(sql`unit_id is null`),
    // covers a round's read (the columns of its where clause too, or SQLite visits the table)
    index('assignments_open_due')
      .on(t.due, t.unitId, t.itemId, t.occurrence, t.doneReportId, t.retiredAt)
      .where(sql`done_report_id is null and retired_at is null`),
    index('assignments_unit').on(t.unitId),
    index('assignments_item_unit').on(t.itemId, t.unitId),
  ],
);

/** 联络员: a contact who acts for a unit once a coordinator approved the binding. */
export const liaisons = sqliteTable(
  'liaisons',
  {
    id: integer('id').primaryKey(),
    contactId: text('contact_id').notNull(),
    /** display name at binding time, to re-match after a re-login changes contact ids */
    name: text('name').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'revoked'] }).notNull(),
    requestedAt: text('requested_at').notNull(),
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
  },
  (t) => [index('liaisons_contact').on(t.contactId), index('liaisons_unit').on(t.unitId)],
);

/**
 * A check-in by chat: completion, progress, the date information was formed (event), or a
 * correction of a completion's evidence (更正). A withdrawn completion (撤回) stays, marked.
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey(),
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => assignments.id),
    kind: text('kind', { enum: ['done', 'progress', 'event', 'correction'] }).notNull(),
    evidence: text('evidence'),
    note: text('note'),
    /** a coordinator reported for the unit (代报) */
    onBehalf: integer('on_behalf', { mode: 'boolean' }).notNull().default(false),
    /** when a completion was withdrawn (撤回), and by whom */
    withdrawnAt: text('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    authorContactId: text('author_contact_id').notNull(),
    authorName: text('author_name').notNull(),
    rawText: text('raw_text').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('reports_assignment').on(t.assignmentId)],
);

/**
 * Reminder keys sent once per row (before-N, due, escalate): the intent is recorded with the
 * message before sending, so no key goes out twice.
 */
export const reminders = sqliteTable(
  'reminders',
  {
    /** assignment:step */
    key: text('key').primaryKey(),
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => assignments.id),
    step: text('step').notNull(),
    day: text('day').notNull(),
    outboxId: integer('outbox_id').references(() => outbox.id),
    createdAt: text('created_at').notNull(),
  },
  // a round asks by row which steps went out already (see recordedReminders)
  (t) => [index('reminders_assignment').on(t.assignmentId, t.step)],
);

/**
 * Daily overdue pings (逾期提醒), one row per unit and day: the keys (row, overdue@day) of every
 * overdue row the unit's digest carried that day. One row per item would add some 150,000 rows
 * a working day at province scale.
 */
export const overduePings = sqliteTable(
  'overdue_pings',
  {
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    day: text('day').notNull(),
    outboxId: integer('outbox_id').references(() => outbox.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.unitId] })],
);

/** The daily reminder rounds that ran (at most one per day). */
export const rounds = sqliteTable('rounds', {
  day: text('day').primaryKey(),
  ranAt: text('ran_at').notNull(),
  /** run after downtime, later than the configured time */
  late: integer('late', { mode: 'boolean' }).notNull(),
});

/**
 * Durable outbox: every message the bot sends waits here until it went out. A message is
 * text parts with @mentions between them (parts has one more entry than mentions).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey(),
    /** the channel that sends it ('' in ledgers from before channels: the inbound one) */
    channel: text('channel').notNull().default(''),
    /** a group's conversation id, or a contact id for a private chat */
    target: text('target').notNull(),
    targetKind: text('target_kind', { enum: ['room', 'contact'] }).notNull(),
    parts: text('parts', { mode: 'json' }).$type<string[]>().notNull(),
    /** contact ids @mentioned between the parts */
    mentions: text('mentions', { mode: 'json' }).$type<string[]>().notNull(),
    /** a file to send (path), instead of text */
    filePath: text('file_path'),
    /** answers the message this token came with (the channel's reply path) */
    replyToken: text('reply_token'),
    /**
     * sending: claimed and handed to the channel, not yet confirmed; abandoned: unknown after a
     * crash, never resent; failed: gave up after the retry limit
     */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'abandoned', 'failed'] }).notNull().default('pending'),
    /** 0 answers, 1 rounds, 2 bulk notices: no answer waits behind a round */
    priority: integer('priority').notNull().default(0),
    createdAt: text('created_at').notNull(),
    notBefore: text('not_before').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: text('sent_at'),
  },
  (t) => [
    index('outbox_pending').on(t.status, t.id),
    index('outbox_queue').on(t.priority, t.id).where(sql`status = 'pending'`),
    // only sent messages: queueing one (every chat reply) does not touch this index
    index('outbox_sent_at').on(t.sentAt).where(sql`sent_at is not null`),
  ],
);

/**
 * Where each contact was last heard, per conversation: a round reaches a liaison in the group
 * they speak in, and coordinators are told where they are. Channels such as WeCom's robot
 * cannot list a group's members, so this is what the bot knows of groups on every channel.
 */
export const contactsSeen = sqliteTable(
  'contacts_seen',
  {
    channel: text('channel').notNull(),
    contactId: text('contact_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    kind: text('kind', { enum: ['room', 'contact'] }).notNull(),
    name: text('name').notNull(),
    coordinator: integer('coordinator', { mode: 'boolean' }).notNull(),
    lastAt: text('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.contactId, t.conversationId] })],
);

/**
 * One bot per ledger: the running bot holds this lease and renews it every minute; a second
 * bot, or a CLI command that writes, sees it and stops. A lease not renewed expires.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  pid: integer('pid').notNull(),
  host: text('host').notNull(),
  acquiredAt: text('acquired_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/**
 * Every incoming message, stored raw before it is handled (收件箱): a message whose handling
 * fails is handled again later, and at the next start.
 */
export const inbox = sqliteTable(
  'inbox',
  {
    id: integer('id').primaryKey(),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    /** the message as the channel handed it on (JSON of InboundMessage) */
    message: text('message', { mode: 'json' }).notNull(),
    receivedAt: text('received_at').notNull(),
    status: text('status', { enum: ['pending', 'handled', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('inbox_message').on(t.channel, t.messageId), index('inbox_pending').on(t.id).where(sql`status = 'pending'`)],
);

/**
 * A plan a coordinator sent in chat, read and previewed, waiting for 确认导入: one per
 * coordinator, the read plan kept whole so a restart or a moved file loses nothing.
 */
export const pendingImports = sqliteTable(
  'pending_imports',
  {
    channel: text('channel').notNull(),
    contactId: text('contact_id').notNull(),
    fileName: text('file_name').notNull(),
    /** the plan as read (JSON of seeds' ReadPlan) */
    read: text('read', { mode: 'json' }).$type<ReadPlan>().notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.contactId] })],
);
