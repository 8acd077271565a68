-- Approvals on any registered subject, not only tickets (a repair order's cost approval uses the same runs, tasks and links).
DROP INDEX "approvals_one_pending_uq";--> statement-breakpoint
ALTER TABLE "approval_tasks" ALTER COLUMN "ticket_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "ticket_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "workflow_version_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_tasks" ADD COLUMN "subject_type" text DEFAULT 'ticket' NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_tasks" ADD COLUMN "subject_id" bigint;--> statement-breakpoint
UPDATE "approval_tasks" SET "subject_id" = "ticket_id";--> statement-breakpoint
ALTER TABLE "approval_tasks" ALTER COLUMN "subject_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "subject_type" text DEFAULT 'ticket' NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "subject_id" bigint;--> statement-breakpoint
UPDATE "approvals" SET "subject_id" = "ticket_id";--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "subject_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "approval_tasks_subject_idx" ON "approval_tasks" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "approvals_subject_idx" ON "approvals" USING btree ("subject_type","subject_id","approval_key");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_pending_uq" ON "approvals" USING btree ("subject_type","subject_id","approval_key") WHERE state = 'pending';--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_ticket_subject_ck" CHECK ((subject_type = 'ticket') = (ticket_id IS NOT NULL) AND (ticket_id IS NULL OR ticket_id = subject_id));
