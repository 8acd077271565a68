import { and, desc, eq, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { AuditQuery } from '@tianshu/contracts';
import { rows, type Queryable } from '../db/db.ts';
import { auditLog } from './audit.tables.ts';

export type AuditInsert = typeof auditLog.$inferInsert;

/** An audit row's insert, not yet run: awaited alone, or sent with other writes (writeTogether). */
export function auditInsertStatement(q: Queryable, entry: AuditInsert) {
  return q.insert(auditLog).values(entry);
}

/** A row as hashed: the text forms PostgreSQL prints, identical on PGlite and PostgreSQL. */
export type CanonicalAuditRow = {
  id: number;
  seal_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  at_text: string;
  actor_id: number | null;
  actor_name: string | null;
  actor_ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: string;
  details_text: string;
};

const canonicalColumns = sql`id, seal_seq, prev_hash, hash,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_text,
  actor_id, actor_name, actor_ip, action, object_type, object_id, result, details::text AS details_text`;

export async function lockSealer(q: Queryable): Promise<boolean> {
  const r = await rows<{ ok: boolean }>(q, sql`SELECT pg_try_advisory_xact_lock(72910001) AS ok`);
  return r[0]?.ok === true;
}

export async function readSealState(q: Queryable) {
  const r = await rows<{ sealed_seq: number; last_hash: string; anchor_seq: number; anchor_hash: string }>(
    q,
    sql`SELECT sealed_seq, last_hash, anchor_seq, anchor_hash FROM audit_seal WHERE id = 1 FOR UPDATE`,
  );
  const s = r[0];
  if (!s) throw new Error('audit_seal row missing: migrations not applied');
  return { sealedSeq: Number(s.sealed_seq), lastHash: s.last_hash, anchorSeq: Number(s.anchor_seq), anchorHash: s.anchor_hash };
}

export async function selectUnsealed(q: Queryable, olderThanMs: number, limit: number) {
  return rows<CanonicalAuditRow>(
    q,
    sql`SELECT ${canonicalColumns} FROM audit_log
        WHERE hash IS NULL AND at <= clock_timestamp() - make_interval(secs => ${olderThanMs / 1000})
        ORDER BY id LIMIT ${limit}`,
  );
}

export async function writeSeals(q: Queryable, seals: { id: number; seq: number; prev: string; hash: string }[]) {
  if (seals.length === 0) return;
  await q.execute(sql`UPDATE audit_log a SET seal_seq = v.seq, prev_hash = v.prev, hash = v.hash
    FROM jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) AS v(id bigint, seq bigint, prev text, hash text)
    WHERE a.id = v.id AND a.hash IS NULL`);
}

export async function writeSealState(q: Queryable, sealedSeq: number, lastHash: string) {
  await q.execute(sql`UPDATE audit_seal SET sealed_seq = ${sealedSeq}, last_hash = ${lastHash}, updated_at = now() WHERE id = 1`);
}

export async function selectSealedPage(q: Queryable, afterSeq: number, limit: number) {
  return rows<CanonicalAuditRow>(
    q,
    sql`SELECT ${canonicalColumns} FROM audit_log WHERE seal_seq > ${afterSeq} ORDER BY seal_seq LIMIT ${limit}`,
  );
}

export async function countUnsealed(q: Queryable): Promise<number> {
  const r = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NULL`);
  return Number(r[0]?.n ?? 0);
}

/** Deletes the sealed prefix older than the cutoff and moves the verification anchor past it. */
export async function purgeSealedBefore(q: Queryable, cutoff: Date): Promise<number> {
  const last = await rows<{ seal_seq: number; hash: string }>(
    q,
    sql`SELECT seal_seq, hash FROM audit_log WHERE seal_seq = (
          SELECT max(seal_seq) FROM audit_log WHERE hash IS NOT NULL AND at < ${cutoff.toISOString()}::timestamptz)`,
  );
  const anchor = last[0];
  if (!anchor) return 0;
  await q.execute(sql`SELECT set_config('tianshu.audit_purge', 'on', true)`);
  const del = await rows<{ n: number }>(
    q,
    sql`WITH d AS (DELETE FROM audit_log WHERE seal_seq <= ${anchor.seal_seq} RETURNING 1) SELECT count(*)::int AS n FROM d`,
  );
  await q.execute(sql`SELECT set_config('tianshu.audit_purge', 'off', true)`);
  await q.execute(
    sql`UPDATE audit_seal SET anchor_seq = ${anchor.seal_seq}, anchor_hash = ${anchor.hash} WHERE id = 1`,
  );
  return Number(del[0]?.n ?? 0);
}

function filters(query: Omit<AuditQuery, 'page' | 'pageSize'>): SQL | undefined {
  const conds: SQL[] = [];
  if (query.from) conds.push(gte(auditLog.at, new Date(query.from)));
  if (query.to) conds.push(lte(auditLog.at, new Date(query.to)));
  if (query.actor) conds.push(ilike(auditLog.actorName, `%${escapeLike(query.actor)}%`));
  if (query.action) conds.push(ilike(auditLog.action, `${escapeLike(query.action)}%`));
  if (query.objectType) conds.push(eq(auditLog.objectType, query.objectType));
  if (query.objectId) conds.push(eq(auditLog.objectId, query.objectId));
  if (query.result) conds.push(eq(auditLog.result, query.result));
  return conds.length ? and(...conds) : undefined;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchAudit(q: Queryable, query: AuditQuery) {
  const where = filters(query);
  const items = await q
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [count] = await q.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where);
  return { items, total: Number(count?.n ?? 0) };
}

export async function* iterateAudit(q: Queryable, query: Omit<AuditQuery, 'page' | 'pageSize'>, batch = 2000) {
  let beforeId = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const where = filters(query);
    const page = await q
      .select()
      .from(auditLog)
      .where(where ? and(where, sql`${auditLog.id} < ${beforeId}`) : sql`${auditLog.id} < ${beforeId}`)
      .orderBy(desc(auditLog.id))
      .limit(batch);
    if (page.length === 0) return;
    yield page;
    beforeId = page[page.length - 1]?.id ?? 0;
    if (page.length < batch) return;
  }
}
