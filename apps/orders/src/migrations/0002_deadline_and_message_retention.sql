ALTER TABLE "order_history" ALTER COLUMN "event_id" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "inbox_handled_at_idx" ON "inbox" USING btree ("handled_at");--> statement-breakpoint
CREATE INDEX "outbox_published_at_idx" ON "outbox" USING btree ("published_at") WHERE "outbox"."published_at" IS NOT NULL;