CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`message_id` text NOT NULL,
	`message` text NOT NULL,
	`received_at` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_message` ON `inbox` (`channel`,`message_id`);--> statement-breakpoint
CREATE INDEX `inbox_pending` ON `inbox` (`id`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`acquired_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `priority` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_queue` ON `outbox` (`priority`,`id`) WHERE status = 'pending';