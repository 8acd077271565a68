import { sql } from 'drizzle-orm';
import type { PriorityMatrix } from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { forgetPriorityMatrix, getPriorityMatrix } from '../tickets/tickets.service.ts';
import { settings } from './settings.tables.ts';

export async function setPriorityMatrix(db: Db, actor: Actor, matrix: PriorityMatrix): Promise<PriorityMatrix> {
  await db.transaction(async (tx) => {
    const before = await getPriorityMatrix(tx);
    await tx
      .insert(settings)
      .values({ key: 'priority_matrix', value: matrix })
      .onConflictDoUpdate({ target: settings.key, set: { value: matrix, updatedAt: sql`now()` } });
    await recordAudit(tx, { actor, action: 'settings.priority_matrix', objectType: 'settings', objectId: 'priority_matrix', result: 'success', details: { from: before, to: matrix } });
  });
  forgetPriorityMatrix(db);
  return matrix;
}
