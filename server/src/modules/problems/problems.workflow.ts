import { eq } from 'drizzle-orm';
import { registerWorkflowCheck } from '../workflows/workflow-registry.ts';
import { problemDetails } from './problems.tables.ts';

/**
 * `problem.root_cause`: a problem is resolved or marked a known error only once its root cause and
 * cause category are recorded (the built-in `problem` workflow guards `resolve` and `mark_known_error`).
 */
registerWorkflowCheck('problem.root_cause', async (tx, ticket) => {
  const [d] = await tx
    .select({ rootCause: problemDetails.rootCause, causeCategory: problemDetails.causeCategory })
    .from(problemDetails)
    .where(eq(problemDetails.ticketId, ticket.id));
  if (!d || !d.rootCause.trim() || !d.causeCategory) return { code: 'PROBLEM_ROOT_CAUSE_REQUIRED' };
  return null;
});
