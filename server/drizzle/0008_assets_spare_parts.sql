CREATE SEQUENCE "public"."asset_tag_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "spare_part_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"part_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"from_location" text,
	"to_location" text,
	"reason" text DEFAULT '' NOT NULL,
	"ticket_id" bigint,
	"actor_id" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spare_part_movements_qty_ck" CHECK ("spare_part_movements"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "spare_part_stock" (
	"part_id" bigint NOT NULL,
	"location" text NOT NULL,
	"quantity" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spare_part_stock_qty_ck" CHECK ("spare_part_stock"."quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "spare_part_tests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"part_id" bigint NOT NULL,
	"tested_at" date NOT NULL,
	"result" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"tested_by" bigint,
	"next_due" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spare_parts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"part_number" text NOT NULL,
	"name" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"unit" text DEFAULT '个' NOT NULL,
	"min_stock" integer DEFAULT 0 NOT NULL,
	"org_id" bigint,
	"notes" text DEFAULT '' NOT NULL,
	"total_quantity" integer DEFAULT 0 NOT NULL,
	"low_stock_notified" boolean DEFAULT false NOT NULL,
	"next_test_due" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spare_parts_min_stock_ck" CHECK ("spare_parts"."min_stock" >= 0),
	CONSTRAINT "spare_parts_total_ck" CHECK ("spare_parts"."total_quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "spare_part_movements" ADD CONSTRAINT "spare_part_movements_part_id_spare_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_movements" ADD CONSTRAINT "spare_part_movements_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_movements" ADD CONSTRAINT "spare_part_movements_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_stock" ADD CONSTRAINT "spare_part_stock_part_id_spare_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_tests" ADD CONSTRAINT "spare_part_tests_part_id_spare_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_tests" ADD CONSTRAINT "spare_part_tests_tested_by_users_id_fk" FOREIGN KEY ("tested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_parts" ADD CONSTRAINT "spare_parts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spare_part_movements_part_idx" ON "spare_part_movements" USING btree ("part_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "spare_part_stock_uq" ON "spare_part_stock" USING btree ("part_id","location");--> statement-breakpoint
CREATE INDEX "spare_part_tests_part_idx" ON "spare_part_tests" USING btree ("part_id","tested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "spare_parts_part_number_uq" ON "spare_parts" USING btree (lower("part_number"));--> statement-breakpoint
CREATE INDEX "spare_parts_org_idx" ON "spare_parts" USING btree ("org_id");