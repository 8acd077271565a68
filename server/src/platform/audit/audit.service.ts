import crypto from 'node:crypto';
import type { AuditVerify } from '@tianshu/contracts';
import type { Actor } from '../auth/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import {
  countUnsealed,
  auditInsertStatement,
  lockSealer,
  purgeSealedBefore,
  readSealState,
  selectSealedPage,
  selectUnsealed,
  writeSeals,
  writeSealState,
  type CanonicalAuditRow,
} from './audit.queries.ts';

export type AuditRecord = {
  actor: Actor | null;
  /** For events without an authenticated actor (e.g. a failed login), the name that was tried. */
  actorName?: string | null;
  ip?: string | null;
  action: string;
  objectType?: string | null;
  objectId?: string | number | null;
  result: 'success' | 'denied' | 'failed';
  details?: Record<string, unknown>;
};

/** Writes one audit row with the caller's query handle: inside the caller's transaction when it has one. */
export async function recordAudit(q: Queryable, rec: AuditRecord): Promise<void> {
  await auditStatement(q, rec);
}

/** recordAudit's insert, not yet run: for writeTogether on a hot write path (same transaction rules). */
export function auditStatement(q: Queryable, rec: AuditRecord) {
  const actor = rec.actor;
  return auditInsertStatement(q, {
    actorId: actor && actor.userId > 0 ? actor.userId : null,
    actorName: rec.actorName ?? actor?.username ?? null,
    actorIp: rec.ip ?? actor?.ip ?? null,
    action: rec.action,
    objectType: rec.objectType ?? null,
    objectId: rec.objectId === undefined || rec.objectId === null ? null : String(rec.objectId),
    result: rec.result,
    details: rec.details ?? {},
  });
}

function canonical(r: CanonicalAuditRow): string {
  return JSON.stringify([
    Number(r.id),
    r.at_text,
    r.actor_id === null ? null : Number(r.actor_id),
    r.actor_name,
    r.actor_ip,
    r.action,
    r.object_type,
    r.object_id,
    r.result,
    r.details_text,
  ]);
}

export function chainHash(prevHash: string, r: CanonicalAuditRow): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonical(r)).digest('hex');
}

/**
 * Seals unsealed rows in id order, chaining each hash to the previous sealed row. Only one
 * sealer runs at a time (advisory lock); rows younger than `settleMs` wait for the next run so a
 * transaction still committing a lower id is not skipped (a late row is simply sealed later).
 */
export async function sealAudit(db: Db, opts: { settleMs?: number; batch?: number } = {}): Promise<number> {
  const settleMs = opts.settleMs ?? 2000;
  const batch = opts.batch ?? 5000;
  let total = 0;
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      if (!(await lockSealer(tx))) return 0;
      const state = await readSealState(tx);
      const pending = await selectUnsealed(tx, settleMs, batch);
      let seq = state.sealedSeq;
      let prev = state.lastHash;
      const seals = pending.map((r) => {
        seq += 1;
        const hash = chainHash(prev, r);
        const s = { id: Number(r.id), seq, prev, hash };
        prev = hash;
        return s;
      });
      await writeSeals(tx, seals);
      if (seals.length) await writeSealState(tx, seq, prev);
      return seals.length;
    });
    total += sealed;
    if (sealed < batch) return total;
  }
}

/** Walks the sealed chain from the retention anchor and reports the first broken link. */
export async function verifyAudit(db: Db): Promise<AuditVerify> {
  const state = await db.transaction((tx) => readSealState(tx));
  let expectedSeq = state.anchorSeq;
  let prev = state.anchorHash;
  let checked = 0;
  for (;;) {
    const page = await selectSealedPage(db, expectedSeq, 5000);
    for (const r of page) {
      const seq = Number(r.seal_seq);
      const broken = (reason: string): AuditVerify => ({
        ok: false,
        checked,
        unsealed: 0,
        firstBroken: { sealSeq: seq, id: Number(r.id), reason },
      });
      if (seq !== expectedSeq + 1) {
        return { ...broken('missing rows before this one (deleted)'), firstBroken: { sealSeq: expectedSeq + 1, id: null, reason: 'row missing (deleted)' } };
      }
      if (r.prev_hash !== prev) return broken('previous hash does not match');
      if (r.hash !== chainHash(prev, r)) return broken('content changed after sealing');
      prev = r.hash;
      expectedSeq = seq;
      checked += 1;
    }
    if (page.length < 5000) break;
  }
  if (expectedSeq !== state.sealedSeq || prev !== state.lastHash) {
    return {
      ok: false,
      checked,
      unsealed: await countUnsealed(db),
      firstBroken: { sealSeq: expectedSeq + 1, id: null, reason: 'sealed rows missing at the end of the chain' },
    };
  }
  return { ok: true, checked, unsealed: await countUnsealed(db), firstBroken: null };
}

/** Deletes sealed audit rows older than the retention period (never below 180 days). */
export async function purgeAudit(db: Db, retentionDays: number, now = new Date()): Promise<number> {
  const days = Math.max(180, retentionDays);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return db.transaction(async (tx) => {
    if (!(await lockSealer(tx))) return 0;
    await readSealState(tx);
    const n = await purgeSealedBefore(tx, cutoff);
    if (n > 0) {
      await recordAudit(tx, {
        actor: null,
        actorName: 'system',
        action: 'audit.purge',
        objectType: 'audit_log',
        result: 'success',
        details: { deleted: n, retentionDays: days, cutoff: cutoff.toISOString() },
      });
    }
    return n;
  });
}
