import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD');

/** How a deadline text (时限要求) turns into due dates. */
export const ruleSchema = z.discriminatedUnion('type', [
  // 2023年年底前完成, 8月16日前
  z.object({ type: z.literal('fixed'), date: isoDate }),
  // 本方案发布之日起20个工作日内 (方案印发之日起10日内: calendarDays, counted without the calendar)
  z.object({ type: z.literal('after_plan'), workdays: z.number().int().positive(), calendarDays: z.literal(true).optional() }),
  // 信息形成或变更之日起20个工作日内: one occurrence per reported event
  z.object({
    type: z.literal('after_event'),
    workdays: z.number().int().positive(),
    event: z.string().min(1),
    calendarDays: z.literal(true).optional(),
  }),
  // 按月, 按季度, 每年1月31日前, 至少每隔2年, 至少2周更新一次
  z.object({
    type: z.literal('recurring'),
    every: z.enum(['week', 'month', 'quarter', 'year']),
    interval: z.number().int().positive(),
    /** for yearly rules: the month and day the occurrence is due */
    month: z.number().int().min(1).max(12).optional(),
    day: z.number().int().min(1).max(31).optional(),
  }),
  // 长期坚持: a periodic self-check before each quarterly inspection (季度检查)
  z.object({ type: z.literal('ongoing') }),
  // 及时公开: the coordinator may set a date
  z.object({ type: z.literal('asap') }),
]);
export type Rule = z.infer<typeof ruleSchema>;

/** A 责任单位 / 评估对象 cell resolved against the unit directory. */
export const unitAssignmentSchema = z.object({
  /** concrete units, in the order the cell names them */
  units: z.array(z.string().min(1)),
  /** the unit that leads (牵头), when the cell names one */
  lead: z.string().nullable(),
  /** parts the coordinator must still assign: unnamed (有关部门单位) or not in the directory */
  unassigned: z.array(z.string().min(1)),
});
export type UnitAssignment = z.infer<typeof unitAssignmentSchema>;

export const planItemSchema = z.object({
  ref: z.string().regex(/^[TCB]\d+$/),
  kind: z.enum(['task', 'checklist', 'body']),
  /** 工作任务 (附件1) or 一级…四级指标 (附件2); empty for body tasks */
  path: z.array(z.string()),
  text: z.string().min(1),
  unitsText: z.string(),
  assignment: unitAssignmentSchema,
  deadlineText: z.string(),
  rule: ruleSchema,
});
export type PlanItem = z.infer<typeof planItemSchema>;

export const planSchema = z.object({
  title: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  issueDate: isoDate,
  items: z.array(planItemSchema).min(1),
  /** deadline texts no rule matched: kept as 及时公开 so the coordinator sets a date */
  warnings: z.array(z.string()),
});
export type Plan = z.infer<typeof planSchema>;
