ALTER TABLE "approvals" ADD COLUMN "label" jsonb;--> statement-breakpoint
CREATE INDEX "approval_tasks_pending_idx" ON "approval_tasks" USING btree ("created_at") WHERE state = 'pending';