import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Append-only audit log. Rows are written concurrently inside each business transaction and
 * sealed later, in seal order, by one sealer (hash chained to the previous sealed row), so the
 * chain never serialises writers. A trigger refuses updates of sealed rows and deletes outside
 * the retention purge.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().default(sql`clock_timestamp()`),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    actorIp: text('actor_ip'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    result: text('result', { enum: ['success', 'denied', 'failed'] }).notNull(),
    details: jsonb('details').notNull().default({}),
    sealSeq: bigint('seal_seq', { mode: 'number' }).unique(),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorName, t.at),
    index('audit_log_object_idx').on(t.objectType, t.objectId),
  ],
);

/** Single row: how far the chain is sealed, and the anchor left by the last retention purge. */
export const auditSeal = pgTable('audit_seal', {
  id: integer('id').primaryKey(),
  sealedSeq: bigint('sealed_seq', { mode: 'number' }).notNull().default(0),
  lastHash: text('last_hash').notNull(),
  anchorSeq: bigint('anchor_seq', { mode: 'number' }).notNull().default(0),
  anchorHash: text('anchor_hash').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
