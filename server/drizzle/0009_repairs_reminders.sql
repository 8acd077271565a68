CREATE SEQUENCE "public"."repair_order_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "repair_order_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"repair_order_id" bigint NOT NULL,
	"name" text NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"added_by" bigint,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repair_order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"repair_order_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"actor_id" bigint,
	"note" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repair_orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"asset_id" bigint NOT NULL,
	"org_id" bigint NOT NULL,
	"ticket_id" bigint,
	"vendor_id" bigint,
	"contract_id" bigint,
	"fault" text NOT NULL,
	"in_warranty" boolean NOT NULL,
	"warranty_basis" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"asset_prior_status" text,
	"rma_number" text,
	"sent_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"estimated_cost" numeric(14, 2),
	"requested_by" bigint,
	"requested_at" timestamp with time zone,
	"approved_by" bigint,
	"approved_at" timestamp with time zone,
	"rejected_by" bigint,
	"rejected_at" timestamp with time zone,
	"decision_comment" text,
	"outcome" text,
	"actual_cost" numeric(14, 2),
	"closed_at" timestamp with time zone,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "repair_orders_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "vendor_contracts" ADD COLUMN "reminded_for" date;--> statement-breakpoint
ALTER TABLE "repair_order_documents" ADD CONSTRAINT "repair_order_documents_repair_order_id_repair_orders_id_fk" FOREIGN KEY ("repair_order_id") REFERENCES "public"."repair_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_documents" ADD CONSTRAINT "repair_order_documents_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_events" ADD CONSTRAINT "repair_order_events_repair_order_id_repair_orders_id_fk" FOREIGN KEY ("repair_order_id") REFERENCES "public"."repair_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_events" ADD CONSTRAINT "repair_order_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_contract_id_vendor_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."vendor_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_rejected_by_users_id_fk" FOREIGN KEY ("rejected_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "repair_order_documents_order_idx" ON "repair_order_documents" USING btree ("repair_order_id","id");--> statement-breakpoint
CREATE INDEX "repair_order_events_order_idx" ON "repair_order_events" USING btree ("repair_order_id","id");--> statement-breakpoint
CREATE INDEX "repair_orders_org_idx" ON "repair_orders" USING btree ("org_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "repair_orders_asset_idx" ON "repair_orders" USING btree ("asset_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "repair_orders_vendor_idx" ON "repair_orders" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "repair_orders_open_idx" ON "repair_orders" USING btree ("status") WHERE status NOT IN ('closed', 'cancelled');