-- The impact view reads the relations among up to 2,000 CIs through the from-index. With the relation id in
-- the index those reads are index-only (no heap visit per relation). Drizzle cannot express INCLUDE, so the
-- index keeps its name and columns in cmdb-relations.tables.ts and gains the payload here.
DROP INDEX IF EXISTS "ci_relations_from_idx";--> statement-breakpoint
CREATE INDEX "ci_relations_from_idx" ON "ci_relations" USING btree ("from_ci_id","type_id","to_ci_id") INCLUDE ("id");
