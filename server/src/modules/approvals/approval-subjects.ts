import type { SQLWrapper } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { lockTicket } from '../tickets/tickets.queries.ts';
import { ticketLink } from '../tickets/tickets.service.ts';
import { approvalOutcome } from '../workflows/workflow-registry.ts';
import * as qs from './approvals.queries.ts';

/**
 * What an approval run decides about. Tickets are built in (their workflow starts runs and takes the
 * outcome transition); a module registers another subject type when it loads (the vendors module:
 * a repair order's cost). The approvals service only talks to subjects through this interface.
 */
export type SubjectBrief = {
  id: number;
  number: string;
  title: string;
  /** Ticket type, or the subject type for other subjects (the web app builds links from it). */
  type: string;
  orgId: number;
  /** Never an approver of their own subject (approver resolution leaves them out). */
  requesterId: number | null;
  requesterName: string | null;
  /** Where the subject is shown in the web app. */
  link: string;
};

export type SubjectEvent = { actorId: number | null; body?: string | null; data: Record<string, unknown> };
export type SubjectOutcome = { subjectId: number; approvalKey: string; outcome: 'approved' | 'rejected'; actor: Actor; comment: string | null };

export type ApprovalSubject = {
  /** Locks the subject's row: the first lock a decision takes. False when it does not exist. */
  lock(tx: Tx, id: number): Promise<boolean>;
  briefs(q: Queryable, ids: readonly number[]): Promise<Map<number, SubjectBrief>>;
  /** The subject's timeline entry for an approval event, not yet run (sent with other writes). */
  eventStatement(q: Queryable, id: number, e: SubjectEvent): SQLWrapper;
  /** The run ended: move the subject on, in the same transaction. */
  outcome(db: Db, tx: Tx, o: SubjectOutcome): Promise<void>;
};

const subjects = new Map<string, ApprovalSubject>();

export function registerApprovalSubject(type: string, s: ApprovalSubject): void {
  subjects.set(type, s);
}

export function approvalSubject(type: string): ApprovalSubject {
  const s = subjects.get(type);
  if (!s) throw new Error(`approval subject type ${type} is not registered`);
  return s;
}

export async function subjectBrief(q: Queryable, subject: qs.Subject): Promise<SubjectBrief | undefined> {
  return (await approvalSubject(subject.type).briefs(q, [subject.id])).get(subject.id);
}

/** Briefs of mixed subjects, one query per type. Keyed `${type}:${id}`. */
export async function subjectBriefs(q: Queryable, list: readonly qs.Subject[]): Promise<Map<string, SubjectBrief>> {
  const byType = new Map<string, number[]>();
  for (const s of list) byType.set(s.type, [...(byType.get(s.type) ?? []), s.id]);
  const out = new Map<string, SubjectBrief>();
  for (const [type, ids] of byType) {
    for (const [id, b] of await approvalSubject(type).briefs(q, [...new Set(ids)])) out.set(`${type}:${id}`, b);
  }
  return out;
}

registerApprovalSubject('ticket', {
  lock: async (tx, id) => (await lockTicket(tx, id)) !== undefined,
  async briefs(q, ids) {
    const out = new Map<number, SubjectBrief>();
    for (const t of await qs.ticketBriefs(q, ids)) {
      const id = Number(t.id);
      out.set(id, {
        id,
        number: t.number,
        title: t.title,
        type: t.type,
        orgId: Number(t.org_id),
        requesterId: t.requester_id === null ? null : Number(t.requester_id),
        requesterName: t.requester_name,
        link: ticketLink(t.type, id),
      });
    }
    return out;
  },
  eventStatement: (q, id, e) => qs.approvalEventStatement(q, { ticketId: id, ...e }),
  outcome: (db, tx, o) => approvalOutcome(db, tx, { ticketId: o.subjectId, approvalKey: o.approvalKey, outcome: o.outcome, actor: o.actor, comment: o.comment }),
});
