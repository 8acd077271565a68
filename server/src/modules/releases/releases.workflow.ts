import { registerWorkflowCheck } from '../workflows/workflow-registry.ts';
import { findDetails } from './releases.queries.ts';

/**
 * Workflow checks of releases. `release.cmdb_confirmed`: the `complete` transition is refused
 * (RELEASE_CMDB_NOT_CONFIRMED) until someone recorded that the CMDB was updated
 * (POST /api/releases/:id/cmdb-confirmation). Linking or unlinking a change clears the confirmation.
 */
registerWorkflowCheck('release.cmdb_confirmed', async (tx, ticket) => {
  const row = await findDetails(tx, ticket.id);
  return row?.d.cmdbConfirmed ? null : { code: 'RELEASE_CMDB_NOT_CONFIRMED' };
});
