ALTER TABLE "cmdb_audit_violations" DROP CONSTRAINT "cmdb_audit_violations_run_id_cmdb_audit_runs_id_fk";
--> statement-breakpoint
DROP INDEX "cmdb_audit_violations_run_ci_idx";