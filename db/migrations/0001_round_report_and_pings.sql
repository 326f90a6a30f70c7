CREATE TABLE `overdue_pings` (
	`unit_id` integer NOT NULL,
	`day` text NOT NULL,
	`outbox_id` integer,
	`created_at` text NOT NULL,
	PRIMARY KEY(`day`, `unit_id`),
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `assignments_open_due`;--> statement-breakpoint
CREATE INDEX `assignments_open_due` ON `assignments` (`due`,`unit_id`,`item_id`,`occurrence`,`done_report_id`,`retired_at`) WHERE done_report_id is null and retired_at is null;--> statement-breakpoint
DROP INDEX `outbox_sent_at`;--> statement-breakpoint
CREATE INDEX `outbox_sent_at` ON `outbox` (`sent_at`) WHERE sent_at is not null;--> statement-breakpoint
CREATE INDEX `reminders_assignment` ON `reminders` (`assignment_id`,`step`);--> statement-breakpoint
-- daily overdue keys recorded one per row before this migration become one ping per unit and day
INSERT OR IGNORE INTO `overdue_pings` (`unit_id`, `day`, `outbox_id`, `created_at`)
  SELECT a.`unit_id`, r.`day`, min(r.`outbox_id`), min(r.`created_at`) FROM `reminders` r JOIN `assignments` a ON a.`id` = r.`assignment_id`
  WHERE r.`step` LIKE 'overdue@%' AND a.`unit_id` IS NOT NULL GROUP BY a.`unit_id`, r.`day`;--> statement-breakpoint
DELETE FROM `reminders` WHERE `step` LIKE 'overdue@%';
