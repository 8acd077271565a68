CREATE TABLE "calendar_days" (
	"calendar_id" bigint NOT NULL,
	"date" text NOT NULL,
	"kind" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "calendar_days_calendar_id_date_pk" PRIMARY KEY("calendar_id","date")
);
--> statement-breakpoint
CREATE TABLE "calendars" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"preset" text,
	"weekly" jsonb NOT NULL,
	"make_up_weekday" smallint DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_calendar_id_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_days_date_idx" ON "calendar_days" USING btree ("date");