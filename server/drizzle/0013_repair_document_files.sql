ALTER TABLE "repair_order_documents" ADD COLUMN "content_type" text;--> statement-breakpoint
ALTER TABLE "repair_order_documents" ADD COLUMN "size" bigint;--> statement-breakpoint
ALTER TABLE "repair_order_documents" ADD COLUMN "sha256" text;--> statement-breakpoint
ALTER TABLE "repair_order_documents" ADD COLUMN "storage_key" text;