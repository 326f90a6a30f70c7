CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY NOT NULL,
	`item_id` integer NOT NULL,
	`unit_id` integer,
	`unassigned_label` text,
	`role` text NOT NULL,
	`source` text DEFAULT 'plan' NOT NULL,
	`occurrence` text DEFAULT '' NOT NULL,
	`due` text,
	`due_estimated` integer DEFAULT false NOT NULL,
	`done_report_id` integer,
	`retired_at` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_unit_occurrence` ON `assignments` (`item_id`,`unit_id`,`occurrence`) WHERE unit_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_unassigned_occurrence` ON `assignments` (`item_id`,`unassigned_label`,`occurrence`) WHERE unit_id is null;--> statement-breakpoint
CREATE INDEX `assignments_open_due` ON `assignments` (`due`) WHERE done_report_id is null and retired_at is null;--> statement-breakpoint
CREATE INDEX `assignments_unit` ON `assignments` (`unit_id`);--> statement-breakpoint
CREATE INDEX `assignments_item_unit` ON `assignments` (`item_id`,`unit_id`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY NOT NULL,
	`plan_id` integer NOT NULL,
	`ref` text NOT NULL,
	`kind` text NOT NULL,
	`path` text NOT NULL,
	`text` text NOT NULL,
	`units_text` text NOT NULL,
	`lead` text,
	`deadline_text` text NOT NULL,
	`rule` text NOT NULL,
	`retired_at` text,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_plan_ref` ON `items` (`plan_id`,`ref`);--> statement-breakpoint
CREATE TABLE `liaisons` (
	`id` integer PRIMARY KEY NOT NULL,
	`contact_id` text NOT NULL,
	`name` text NOT NULL,
	`unit_id` integer NOT NULL,
	`status` text NOT NULL,
	`requested_at` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `liaisons_contact` ON `liaisons` (`contact_id`);--> statement-breakpoint
CREATE INDEX `liaisons_unit` ON `liaisons` (`unit_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`target_kind` text NOT NULL,
	`parts` text NOT NULL,
	`mentions` text NOT NULL,
	`file_path` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` text NOT NULL,
	`not_before` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` text
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_sent_at` ON `outbox` (`sent_at`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`title` text NOT NULL,
	`issue_date` text NOT NULL,
	`imported_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_year_unique` ON `plans` (`year`);--> statement-breakpoint
CREATE TABLE `reminders` (
	`key` text PRIMARY KEY NOT NULL,
	`assignment_id` integer NOT NULL,
	`step` text NOT NULL,
	`day` text NOT NULL,
	`outbox_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY NOT NULL,
	`assignment_id` integer NOT NULL,
	`kind` text NOT NULL,
	`evidence` text,
	`note` text,
	`author_contact_id` text NOT NULL,
	`author_name` text NOT NULL,
	`raw_text` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reports_assignment` ON `reports` (`assignment_id`);--> statement-breakpoint
CREATE TABLE `rounds` (
	`day` text PRIMARY KEY NOT NULL,
	`ran_at` text NOT NULL,
	`late` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_name_unique` ON `units` (`name`);