CREATE TABLE "ci_baseline_items" (
	"baseline_id" bigint NOT NULL,
	"ci_id" bigint NOT NULL,
	"ci_version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	CONSTRAINT "ci_baseline_items_baseline_id_ci_id_pk" PRIMARY KEY("baseline_id","ci_id")
);
--> statement-breakpoint
CREATE TABLE "ci_baselines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"org_id" bigint NOT NULL,
	"ci_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"class_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cmdb_audit_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"class_key" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cmdb_audit_run_stats" (
	"run_id" bigint NOT NULL,
	"org_id" bigint NOT NULL,
	"class_id" bigint NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" bigint,
	"cis_checked" integer NOT NULL,
	"cis_with_violations" integer NOT NULL,
	"violations" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cmdb_audit_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"started_by" bigint,
	"org_ids" bigint[],
	"rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"violations_kept" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cmdb_audit_schedule" (
	"id" integer PRIMARY KEY NOT NULL,
	"mode" text DEFAULT 'off' NOT NULL,
	"time" text DEFAULT '02:00' NOT NULL,
	"weekday" integer,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_run_id" bigint,
	"updated_by" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "cmdb_audit_schedule_single" CHECK ("cmdb_audit_schedule"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "cmdb_audit_violations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint NOT NULL,
	"rule_id" bigint NOT NULL,
	"ci_id" bigint NOT NULL,
	"org_id" bigint NOT NULL,
	"class_id" bigint NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ci_baseline_items" ADD CONSTRAINT "ci_baseline_items_baseline_id_ci_baselines_id_fk" FOREIGN KEY ("baseline_id") REFERENCES "public"."ci_baselines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_baseline_items" ADD CONSTRAINT "ci_baseline_items_ci_id_ci_items_id_fk" FOREIGN KEY ("ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_baselines" ADD CONSTRAINT "ci_baselines_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_baselines" ADD CONSTRAINT "ci_baselines_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_audit_run_stats" ADD CONSTRAINT "cmdb_audit_run_stats_run_id_cmdb_audit_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."cmdb_audit_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_audit_runs" ADD CONSTRAINT "cmdb_audit_runs_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_audit_schedule" ADD CONSTRAINT "cmdb_audit_schedule_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_audit_violations" ADD CONSTRAINT "cmdb_audit_violations_run_id_cmdb_audit_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."cmdb_audit_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ci_baseline_items_ci_idx" ON "ci_baseline_items" USING btree ("ci_id");--> statement-breakpoint
CREATE INDEX "ci_baselines_org_idx" ON "ci_baselines" USING btree ("org_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "cmdb_audit_rules_key_uq" ON "cmdb_audit_rules" USING btree ("key");--> statement-breakpoint
CREATE INDEX "cmdb_audit_run_stats_run_idx" ON "cmdb_audit_run_stats" USING btree ("run_id","org_id");--> statement-breakpoint
CREATE INDEX "cmdb_audit_runs_org_ids_idx" ON "cmdb_audit_runs" USING gin ("org_ids");--> statement-breakpoint
CREATE INDEX "cmdb_audit_violations_run_idx" ON "cmdb_audit_violations" USING btree ("run_id","org_id","id");--> statement-breakpoint
CREATE INDEX "cmdb_audit_violations_run_ci_idx" ON "cmdb_audit_violations" USING btree ("run_id","ci_id");