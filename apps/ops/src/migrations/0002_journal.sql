CREATE TABLE "journal_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"routing_key" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_id" text,
	"event_type" text,
	"source" text,
	"correlation_id" text,
	"causation_id" text,
	"order_id" text,
	"occurred_at" timestamp with time zone,
	"envelope" jsonb,
	"raw" text,
	"invalid_reason" text,
	CONSTRAINT "journal_events_event_routing_key_unique" UNIQUE("event_id","routing_key")
);
--> statement-breakpoint
CREATE INDEX "journal_events_order_id_idx" ON "journal_events" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "journal_events_correlation_id_idx" ON "journal_events" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "journal_events_causation_id_idx" ON "journal_events" USING btree ("causation_id");--> statement-breakpoint
CREATE INDEX "journal_events_received_at_idx" ON "journal_events" USING btree ("received_at");