import { sql } from 'drizzle-orm';
import type { Db } from './db/db.ts';
import { rows } from './db/db.ts';
import { generatePassword, hashPassword } from './auth/password.ts';
import { recordAudit } from './audit/audit.service.ts';
import { insertOrganization, insertUser } from '../modules/directory/directory.queries.ts';

/** On an empty database: the provider organisation and the first system admin. */
export async function ensureFirstAdmin(db: Db, presetPassword: string | undefined) {
  const existing = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users`);
  if (Number(existing[0]?.n ?? 0) > 0) return null;
  const password = presetPassword ?? generatePassword();
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // Several instances may boot at once on an empty database: one creates the admin.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72910003)`);
    const again = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM users`);
    if (Number(again[0]?.n ?? 0) > 0) return null;
    const org = await insertOrganization(tx, { name: '运维服务商', code: 'PROVIDER', kind: 'provider' });
    const user = await insertUser(tx, {
      orgId: org.id,
      username: 'admin',
      displayName: '系统管理员',
      passwordHash: hash,
      roles: ['system_admin'],
      // A generated password is shown once in a terminal: the admin must replace it.
      mustChangePassword: presetPassword === undefined,
    });
    await recordAudit(tx, { actor: null, actorName: 'system', action: 'system.bootstrap', objectType: 'user', objectId: user.id, result: 'success', details: { username: 'admin' } });
    return { username: 'admin', password, generated: presetPassword === undefined };
  });
}
