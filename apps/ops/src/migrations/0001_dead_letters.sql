CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"reason" text,
	"dead_letter_ids" uuid[] NOT NULL,
	"job_id" uuid
);
--> statement-breakpoint
CREATE TABLE "dead_letter_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dead_letter_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"actor" text,
	"reason" text,
	"detail" text,
	"replay_id" uuid,
	"job_id" uuid,
	"delivery_key" text
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service" text NOT NULL,
	"queue" text NOT NULL,
	"identity" text NOT NULL,
	"event_id" text,
	"event_type" text,
	"correlation_id" text,
	"causation_id" text,
	"order_id" text,
	"reason" text NOT NULL,
	"error_message" text NOT NULL,
	"error_stack" text,
	"attempts" integer NOT NULL,
	"first_failure_at" timestamp with time zone NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"dead_lettered_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'unresolved' NOT NULL,
	"failures" integer DEFAULT 1 NOT NULL,
	"group_id" uuid NOT NULL,
	"payload" "bytea" NOT NULL,
	"payload_text" text NOT NULL,
	"payload_json" jsonb,
	"headers" jsonb NOT NULL,
	"properties" jsonb NOT NULL,
	"pending_replay_id" uuid,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce(event_id, '') || ' ' || coalesce(event_type, '') || ' ' || coalesce(correlation_id, '') || ' ' || coalesce(causation_id, '') || ' ' || coalesce(order_id, '') || ' ' || error_message || ' ' || left(payload_text, 200000))) STORED NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "failure_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service" text NOT NULL,
	"event_type" text NOT NULL,
	"reason" text NOT NULL,
	"error_shape" text NOT NULL,
	"title" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replays" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dead_letter_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"edited" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text,
	"outcome_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "retry_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"dead_letter_ids" uuid[] NOT NULL,
	"next_index" integer DEFAULT 0 NOT NULL,
	"total" integer NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"rate_per_second" real NOT NULL,
	"selection" jsonb NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"claimed_by" text,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "dead_letter_history" ADD CONSTRAINT "dead_letter_history_dead_letter_id_dead_letters_id_fk" FOREIGN KEY ("dead_letter_id") REFERENCES "public"."dead_letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dead_letters" ADD CONSTRAINT "dead_letters_group_id_failure_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."failure_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replays" ADD CONSTRAINT "replays_dead_letter_id_dead_letters_id_fk" FOREIGN KEY ("dead_letter_id") REFERENCES "public"."dead_letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "dead_letter_history_letter_idx" ON "dead_letter_history" USING btree ("dead_letter_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letter_history_delivery_idx" ON "dead_letter_history" USING btree ("dead_letter_id","delivery_key");--> statement-breakpoint
CREATE INDEX "dead_letter_history_job_idx" ON "dead_letter_history" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_identity_idx" ON "dead_letters" USING btree ("service","identity");--> statement-breakpoint
CREATE INDEX "dead_letters_dead_lettered_at_idx" ON "dead_letters" USING btree ("dead_lettered_at");--> statement-breakpoint
CREATE INDEX "dead_letters_status_idx" ON "dead_letters" USING btree ("status","service");--> statement-breakpoint
CREATE INDEX "dead_letters_group_idx" ON "dead_letters" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "dead_letters_correlation_idx" ON "dead_letters" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "dead_letters_order_idx" ON "dead_letters" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "dead_letters_search_idx" ON "dead_letters" USING gin ("search");--> statement-breakpoint
CREATE INDEX "dead_letters_payload_idx" ON "dead_letters" USING gin ("payload_json" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "dead_letters_headers_idx" ON "dead_letters" USING gin ("headers" jsonb_path_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "failure_groups_key_idx" ON "failure_groups" USING btree ("service","event_type","reason","error_shape");--> statement-breakpoint
CREATE INDEX "retry_jobs_status_idx" ON "retry_jobs" USING btree ("status","created_at");