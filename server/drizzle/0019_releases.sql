CREATE TABLE "release_changes" (
	"release_id" bigint NOT NULL,
	"change_id" bigint NOT NULL,
	"linked_by" bigint,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "release_changes_release_id_change_id_pk" PRIMARY KEY("release_id","change_id")
);
--> statement-breakpoint
CREATE TABLE "release_deployments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"release_id" bigint NOT NULL,
	"environment" text NOT NULL,
	"planned_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"result" text,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" bigint,
	"updated_by" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "release_details" (
	"ticket_id" bigint PRIMARY KEY NOT NULL,
	"version_label" text NOT NULL,
	"release_plan" text DEFAULT '' NOT NULL,
	"planned_release_at" timestamp with time zone,
	"rollback_plan" text NOT NULL,
	"rollback_outcome" text,
	"cmdb_confirmed" boolean DEFAULT false NOT NULL,
	"cmdb_confirmed_by" bigint,
	"cmdb_confirmed_at" timestamp with time zone,
	"cmdb_note" text,
	"cmdb_unbumped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "release_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"release_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"result" text NOT NULL,
	"link" text,
	"notes" text DEFAULT '' NOT NULL,
	"recorded_by" bigint,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_release_id_tickets_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_change_id_tickets_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_deployments" ADD CONSTRAINT "release_deployments_release_id_tickets_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_deployments" ADD CONSTRAINT "release_deployments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_deployments" ADD CONSTRAINT "release_deployments_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_details" ADD CONSTRAINT "release_details_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_details" ADD CONSTRAINT "release_details_cmdb_confirmed_by_users_id_fk" FOREIGN KEY ("cmdb_confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_records" ADD CONSTRAINT "release_records_release_id_tickets_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_records" ADD CONSTRAINT "release_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "release_changes_change_idx" ON "release_changes" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "release_deployments_release_idx" ON "release_deployments" USING btree ("release_id","id");--> statement-breakpoint
CREATE INDEX "release_records_release_idx" ON "release_records" USING btree ("release_id","id");