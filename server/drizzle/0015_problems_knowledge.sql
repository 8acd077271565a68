CREATE SEQUENCE "public"."knowledge_article_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "knowledge_article_cis" (
	"article_id" bigint NOT NULL,
	"ci_id" bigint NOT NULL,
	CONSTRAINT "knowledge_article_cis_article_id_ci_id_pk" PRIMARY KEY("article_id","ci_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_articles" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'article' NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"org_id" bigint,
	"source_problem_id" bigint,
	"published_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" bigint,
	"updated_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_vector" "tsvector" DEFAULT ''::tsvector NOT NULL,
	CONSTRAINT "knowledge_articles_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "known_errors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"problem_id" bigint NOT NULL,
	"title" text NOT NULL,
	"symptom" text NOT NULL,
	"cause" text NOT NULL,
	"workaround" text NOT NULL,
	"article_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_changes" (
	"problem_id" bigint NOT NULL,
	"change_id" bigint NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_changes_problem_id_change_id_pk" PRIMARY KEY("problem_id","change_id")
);
--> statement-breakpoint
CREATE TABLE "problem_cis" (
	"problem_id" bigint NOT NULL,
	"ci_id" bigint NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_cis_problem_id_ci_id_pk" PRIMARY KEY("problem_id","ci_id")
);
--> statement-breakpoint
CREATE TABLE "problem_details" (
	"ticket_id" bigint PRIMARY KEY NOT NULL,
	"symptom" text DEFAULT '' NOT NULL,
	"cause_category" text,
	"root_cause" text DEFAULT '' NOT NULL,
	"five_whys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"workaround" text DEFAULT '' NOT NULL,
	"permanent_fix" text DEFAULT '' NOT NULL,
	"root_cause_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_incidents" (
	"incident_id" bigint PRIMARY KEY NOT NULL,
	"problem_id" bigint NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "knowledge_article_cis" ADD CONSTRAINT "knowledge_article_cis_article_id_knowledge_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."knowledge_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_article_cis" ADD CONSTRAINT "knowledge_article_cis_ci_id_ci_items_id_fk" FOREIGN KEY ("ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_source_problem_id_tickets_id_fk" FOREIGN KEY ("source_problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_errors" ADD CONSTRAINT "known_errors_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_errors" ADD CONSTRAINT "known_errors_article_id_knowledge_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."knowledge_articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_errors" ADD CONSTRAINT "known_errors_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_errors" ADD CONSTRAINT "known_errors_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_changes" ADD CONSTRAINT "problem_changes_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_changes" ADD CONSTRAINT "problem_changes_change_id_tickets_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_changes" ADD CONSTRAINT "problem_changes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_cis" ADD CONSTRAINT "problem_cis_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_cis" ADD CONSTRAINT "problem_cis_ci_id_ci_items_id_fk" FOREIGN KEY ("ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_cis" ADD CONSTRAINT "problem_cis_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_details" ADD CONSTRAINT "problem_details_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_details" ADD CONSTRAINT "problem_details_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_incidents" ADD CONSTRAINT "problem_incidents_incident_id_tickets_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_incidents" ADD CONSTRAINT "problem_incidents_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_incidents" ADD CONSTRAINT "problem_incidents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_article_cis_ci_idx" ON "knowledge_article_cis" USING btree ("ci_id");--> statement-breakpoint
CREATE INDEX "knowledge_articles_search_idx" ON "knowledge_articles" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "knowledge_articles_state_kind_idx" ON "knowledge_articles" USING btree ("state","kind","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "knowledge_articles_source_idx" ON "knowledge_articles" USING btree ("source_problem_id");--> statement-breakpoint
CREATE UNIQUE INDEX "known_errors_problem_uq" ON "known_errors" USING btree ("problem_id");--> statement-breakpoint
CREATE UNIQUE INDEX "known_errors_article_uq" ON "known_errors" USING btree ("article_id");--> statement-breakpoint
CREATE INDEX "problem_changes_change_idx" ON "problem_changes" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "problem_cis_ci_idx" ON "problem_cis" USING btree ("ci_id");--> statement-breakpoint
CREATE INDEX "problem_incidents_problem_idx" ON "problem_incidents" USING btree ("problem_id");