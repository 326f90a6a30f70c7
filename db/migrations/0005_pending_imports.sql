CREATE TABLE `pending_imports` (
	`channel` text NOT NULL,
	`contact_id` text NOT NULL,
	`file_name` text NOT NULL,
	`read` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`channel`, `contact_id`)
);
