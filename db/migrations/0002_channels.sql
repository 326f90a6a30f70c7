CREATE TABLE `contacts_seen` (
	`channel` text NOT NULL,
	`contact_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`coordinator` integer NOT NULL,
	`last_at` text NOT NULL,
	PRIMARY KEY(`channel`, `contact_id`, `conversation_id`)
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `channel` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `reply_token` text;