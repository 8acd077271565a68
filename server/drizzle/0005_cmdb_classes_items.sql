CREATE TABLE "ci_classes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"parent_id" bigint,
	"attributes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"naming_rule" text,
	"builtin" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ci_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"class_id" bigint NOT NULL,
	"name" text NOT NULL,
	"org_id" bigint NOT NULL,
	"owner_user_id" bigint,
	"owner_group_id" bigint,
	"location" text,
	"importance" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"serial_number" text,
	"asset_tag" text,
	"hostname" text,
	"ip" text,
	"cloud_id" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ci_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ci_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"changed_by" bigint,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"change_ticket_id" bigint,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"snapshot" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ci_classes" ADD CONSTRAINT "ci_classes_parent_id_ci_classes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."ci_classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_items" ADD CONSTRAINT "ci_items_class_id_ci_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."ci_classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_items" ADD CONSTRAINT "ci_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_items" ADD CONSTRAINT "ci_items_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_items" ADD CONSTRAINT "ci_items_owner_group_id_groups_id_fk" FOREIGN KEY ("owner_group_id") REFERENCES "public"."groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_versions" ADD CONSTRAINT "ci_versions_ci_id_ci_items_id_fk" FOREIGN KEY ("ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_versions" ADD CONSTRAINT "ci_versions_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_versions" ADD CONSTRAINT "ci_versions_change_ticket_id_tickets_id_fk" FOREIGN KEY ("change_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_classes_key_uq" ON "ci_classes" USING btree ("key");--> statement-breakpoint
CREATE INDEX "ci_classes_parent_idx" ON "ci_classes" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "ci_items_class_idx" ON "ci_items" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "ci_items_org_idx" ON "ci_items" USING btree ("org_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ci_items_status_idx" ON "ci_items" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "ci_items_serial_number_uq" ON "ci_items" USING btree ("serial_number") WHERE serial_number IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_items_asset_tag_uq" ON "ci_items" USING btree ("asset_tag") WHERE asset_tag IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_items_cloud_id_uq" ON "ci_items" USING btree ("cloud_id") WHERE cloud_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_items_org_hostname_uq" ON "ci_items" USING btree ("org_id",lower("hostname")) WHERE hostname IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_items_org_ip_uq" ON "ci_items" USING btree ("org_id","ip") WHERE ip IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ci_items_hostname_idx" ON "ci_items" USING btree (lower("hostname"));--> statement-breakpoint
CREATE INDEX "ci_items_ip_idx" ON "ci_items" USING btree ("ip");--> statement-breakpoint
CREATE INDEX "ci_items_attributes_idx" ON "ci_items" USING gin ("attributes" jsonb_path_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "ci_versions_ci_version_uq" ON "ci_versions" USING btree ("ci_id","version");--> statement-breakpoint
CREATE INDEX "ci_versions_ticket_idx" ON "ci_versions" USING btree ("change_ticket_id");