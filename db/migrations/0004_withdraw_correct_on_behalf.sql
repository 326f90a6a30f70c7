ALTER TABLE `reports` ADD `on_behalf` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `withdrawn_at` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `withdrawn_by` text;