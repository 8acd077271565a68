-- Custom migration: what drizzle-kit does not emit (extensions, sequences, triggers, seed rows).
-- pg_trgm backs fuzzy "similar tickets" matching; its index comes with that feature (an unused GIN index only slows inserts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- Human-readable ticket numbers come from one sequence per ticket type: never duplicated under concurrent creates.
CREATE SEQUENCE IF NOT EXISTS ticket_number_incident START 1;
--> statement-breakpoint
INSERT INTO audit_seal (id, sealed_seq, last_hash, anchor_seq, anchor_hash)
VALUES (1, 0, repeat('0', 64), 0, repeat('0', 64))
ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
-- The audit log is append-only: a sealed row never changes, an unsealed row may only be sealed,
-- and rows are deleted only by the retention purge (which sets tianshu.audit_purge for its transaction).
CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF coalesce(current_setting('tianshu.audit_purge', true), '') = 'on' THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.hash IS NOT NULL
     OR NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.actor_name IS DISTINCT FROM OLD.actor_name
     OR NEW.actor_ip IS DISTINCT FROM OLD.actor_ip OR NEW.action IS DISTINCT FROM OLD.action
     OR NEW.object_type IS DISTINCT FROM OLD.object_type OR NEW.object_id IS DISTINCT FROM OLD.object_id
     OR NEW.result IS DISTINCT FROM OLD.result OR NEW.details IS DISTINCT FROM OLD.details THEN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER IF EXISTS audit_log_guard ON audit_log;
--> statement-breakpoint
CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS audit_log_unsealed_idx ON audit_log (id) WHERE hash IS NULL;
