DROP INDEX `assignments_open_due`;--> statement-breakpoint
CREATE INDEX `assignments_open_due` ON `assignments` (`due`,`unit_id`,`item_id`,`occurrence`,`done_report_id`,`retired_at`) WHERE done_report_id is null and retired_at is null;--> statement-breakpoint
DROP INDEX `outbox_sent_at`;--> statement-breakpoint
CREATE INDEX `outbox_sent_at` ON `outbox` (`sent_at`) WHERE sent_at is not null;--> statement-breakpoint
CREATE INDEX `reminders_once` ON `reminders` (`assignment_id`,`step`) WHERE step not like 'overdue@%';--> statement-breakpoint
CREATE INDEX `reminders_day` ON `reminders` (`day`);