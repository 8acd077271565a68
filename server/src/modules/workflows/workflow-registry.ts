import type { ErrorCode } from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import type { tickets } from '../tickets/tickets.tables.ts';

/**
 * Extension points of the workflow engine. Modules register named checks (guards on facts outside
 * the ticket row, e.g. a change's rollback plan) and hooks (effects, e.g. stamping a change's
 * actual start) when they load; workflow definitions refer to them by name. Importing a module's
 * `*.workflow.ts` from workflow-extensions.ts registers its names.
 */

export type WorkflowTicket = Omit<typeof tickets.$inferSelect, 'searchVector'>;

/** A failed check: the error the transition is refused with. */
export type CheckFailure = { code: ErrorCode; params?: Record<string, string | number> };
export type WorkflowCheck = (tx: Tx, ticket: WorkflowTicket) => Promise<CheckFailure | null>;

export type HookContext = {
  ticket: WorkflowTicket;
  /** null when the system takes the transition (approval outcome, automation). */
  actor: Actor | null;
  transition: { key: string; from: string; to: string };
  now: Date;
};
export type WorkflowHook = (tx: Tx, ctx: HookContext) => Promise<void>;

/** An approval run ended: the engine takes the workflow's onApproved / onRejected transition. */
export type ApprovalOutcome = { ticketId: number; approvalKey: string; outcome: 'approved' | 'rejected'; actor: Actor; comment: string | null };
/** `db` is the pool handle the transaction came from (its caches), `tx` where to write. */
export type ApprovalOutcomeHandler = (db: Db, tx: Tx, outcome: ApprovalOutcome) => Promise<void>;

const checks = new Map<string, WorkflowCheck>();
const hooks = new Map<string, WorkflowHook>();
let outcomeHandler: ApprovalOutcomeHandler | null = null;

export function registerWorkflowCheck(name: string, fn: WorkflowCheck): void {
  checks.set(name, fn);
}

export function registerWorkflowHook(name: string, fn: WorkflowHook): void {
  hooks.set(name, fn);
}

export function workflowCheck(name: string): WorkflowCheck | undefined {
  return checks.get(name);
}

export function workflowHook(name: string): WorkflowHook | undefined {
  return hooks.get(name);
}

/** Names a definition may use (the editor offers them; validation refuses others). */
export function registeredNames(): { checks: string[]; hooks: string[] } {
  return { checks: [...checks.keys()].sort(), hooks: [...hooks.keys()].sort() };
}

export function setApprovalOutcomeHandler(fn: ApprovalOutcomeHandler): void {
  outcomeHandler = fn;
}

/** Called by the approvals module, inside the deciding transaction, when a run ends. */
export async function approvalOutcome(db: Db, tx: Tx, outcome: ApprovalOutcome): Promise<void> {
  if (!outcomeHandler) throw new Error('workflow engine not loaded: no approval outcome handler');
  await outcomeHandler(db, tx, outcome);
}
