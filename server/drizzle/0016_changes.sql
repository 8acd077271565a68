CREATE TABLE "change_cis" (
	"ticket_id" bigint NOT NULL,
	"ci_id" bigint NOT NULL,
	CONSTRAINT "change_cis_ticket_id_ci_id_pk" PRIMARY KEY("ticket_id","ci_id")
);
--> statement-breakpoint
CREATE TABLE "change_cutover_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"owner_id" bigint,
	"offset_minutes" integer DEFAULT 0 NOT NULL,
	"duration_minutes" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"result" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"executed_by" bigint
);
--> statement-breakpoint
CREATE TABLE "change_details" (
	"ticket_id" bigint PRIMARY KEY NOT NULL,
	"change_type" text NOT NULL,
	"template_id" bigint,
	"reason" text DEFAULT '' NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"risk_answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"risk_level" text NOT NULL,
	"risk_score" smallint DEFAULT 0 NOT NULL,
	"implementation_plan" text DEFAULT '' NOT NULL,
	"test_plan" text DEFAULT '' NOT NULL,
	"rollback_plan" text NOT NULL,
	"planned_start" timestamp with time zone,
	"planned_end" timestamp with time zone,
	"planned_range" "tstzrange" GENERATED ALWAYS AS (tstzrange(planned_start, planned_end, '[)')) STORED,
	"outage_expected" boolean DEFAULT false NOT NULL,
	"outage_minutes" integer,
	"actual_start" timestamp with time zone,
	"actual_end" timestamp with time zone,
	"outcome" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "change_details_window_ck" CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end > planned_start)
);
--> statement-breakpoint
CREATE TABLE "change_services" (
	"ticket_id" bigint NOT NULL,
	"service_ci_id" bigint NOT NULL,
	CONSTRAINT "change_services_ticket_id_service_ci_id_pk" PRIMARY KEY("ticket_id","service_ci_id")
);
--> statement-breakpoint
CREATE TABLE "change_templates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"defaults" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "change_windows" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"service_ci_id" bigint,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"recurrence" jsonb,
	"note" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "change_cis" ADD CONSTRAINT "change_cis_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_cis" ADD CONSTRAINT "change_cis_ci_id_ci_items_id_fk" FOREIGN KEY ("ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_cutover_steps" ADD CONSTRAINT "change_cutover_steps_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_cutover_steps" ADD CONSTRAINT "change_cutover_steps_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_cutover_steps" ADD CONSTRAINT "change_cutover_steps_executed_by_users_id_fk" FOREIGN KEY ("executed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_details" ADD CONSTRAINT "change_details_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_details" ADD CONSTRAINT "change_details_template_id_change_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."change_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_services" ADD CONSTRAINT "change_services_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_services" ADD CONSTRAINT "change_services_service_ci_id_ci_items_id_fk" FOREIGN KEY ("service_ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_templates" ADD CONSTRAINT "change_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_windows" ADD CONSTRAINT "change_windows_service_ci_id_ci_items_id_fk" FOREIGN KEY ("service_ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_windows" ADD CONSTRAINT "change_windows_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "change_cis_ci_idx" ON "change_cis" USING btree ("ci_id","ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "change_cutover_steps_pos_uq" ON "change_cutover_steps" USING btree ("ticket_id","position");--> statement-breakpoint
CREATE INDEX "change_details_range_idx" ON "change_details" USING gist ("planned_range");--> statement-breakpoint
CREATE INDEX "change_details_type_idx" ON "change_details" USING btree ("change_type");--> statement-breakpoint
CREATE INDEX "change_services_service_idx" ON "change_services" USING btree ("service_ci_id","ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "change_templates_name_uq" ON "change_templates" USING btree ("name");--> statement-breakpoint
CREATE INDEX "change_windows_kind_idx" ON "change_windows" USING btree ("kind","starts_at");--> statement-breakpoint
CREATE INDEX "change_windows_service_idx" ON "change_windows" USING btree ("service_ci_id");