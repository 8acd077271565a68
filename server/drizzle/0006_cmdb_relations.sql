CREATE TABLE "ci_relation_types" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"reverse_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"dependent_end" text DEFAULT 'from' NOT NULL,
	"allowed_pairs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ci_relations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type_id" bigint NOT NULL,
	"from_ci_id" bigint NOT NULL,
	"to_ci_id" bigint NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_cis" (
	"ticket_id" bigint NOT NULL,
	"ci_id" bigint NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_cis_ticket_id_ci_id_pk" PRIMARY KEY("ticket_id","ci_id")
);
--> statement-breakpoint
ALTER TABLE "ci_relations" ADD CONSTRAINT "ci_relations_type_id_ci_relation_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."ci_relation_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_relations" ADD CONSTRAINT "ci_relations_from_ci_id_ci_items_id_fk" FOREIGN KEY ("from_ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_relations" ADD CONSTRAINT "ci_relations_to_ci_id_ci_items_id_fk" FOREIGN KEY ("to_ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ci_relations" ADD CONSTRAINT "ci_relations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_cis" ADD CONSTRAINT "ticket_cis_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_cis" ADD CONSTRAINT "ticket_cis_ci_id_ci_items_id_fk" FOREIGN KEY ("ci_id") REFERENCES "public"."ci_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_cis" ADD CONSTRAINT "ticket_cis_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_relation_types_key_uq" ON "ci_relation_types" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "ci_relations_type_from_to_uq" ON "ci_relations" USING btree ("type_id","from_ci_id","to_ci_id");--> statement-breakpoint
CREATE INDEX "ci_relations_from_idx" ON "ci_relations" USING btree ("from_ci_id","type_id","to_ci_id");--> statement-breakpoint
CREATE INDEX "ci_relations_to_idx" ON "ci_relations" USING btree ("to_ci_id","type_id","from_ci_id");--> statement-breakpoint
CREATE INDEX "ticket_cis_ci_idx" ON "ticket_cis" USING btree ("ci_id");