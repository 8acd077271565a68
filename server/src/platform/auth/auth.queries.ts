import { and, eq, isNull, sql } from 'drizzle-orm';
import { rows, runPrepared, type Db, type Queryable } from '../db/db.ts';
import { apiTokens, sessions } from './auth.tables.ts';
import { organizations, users } from '../../modules/directory/directory.tables.ts';

export type PrincipalRow = {
  user_id: number;
  username: string;
  display_name: string;
  org_id: number;
  org_kind: 'provider' | 'customer';
  roles: string[];
  locale: 'zh-CN' | 'en-US';
  status: 'active' | 'disabled';
  must_change_password: boolean;
};

const principalColumns = sql`u.id AS user_id, u.username, u.display_name, u.org_id, o.kind AS org_kind,
  u.roles, u.locale, u.status, u.must_change_password`;

const PRINCIPAL = `u.id AS user_id, u.username, u.display_name, u.org_id, o.kind AS org_kind,
  u.roles, u.locale, u.status, u.must_change_password`;

/** Runs on every request: a named prepared statement on PostgreSQL. */
export async function findSession(db: Db, idHash: string) {
  const r = await runPrepared<
    PrincipalRow & { csrf_token: string; last_seen_at: Date | string; expires_at: Date | string }
  >(
    db,
    'session_lookup_v1',
    `SELECT ${PRINCIPAL}, s.csrf_token, s.last_seen_at, s.expires_at
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id
     WHERE s.id_hash = $1`,
    [idHash],
  );
  return r[0];
}

export async function touchSession(q: Queryable, idHash: string) {
  await q.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(q: Queryable, idHash: string) {
  await q.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteUserSessions(q: Queryable, userId: number) {
  await q.delete(sessions).where(eq(sessions.userId, userId));
}

export async function insertSession(q: Queryable, s: typeof sessions.$inferInsert) {
  await q.insert(sessions).values(s);
}

export async function deleteExpiredSessions(q: Queryable, idleBefore: Date) {
  await q.execute(sql`DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < ${idleBefore.toISOString()}::timestamptz`);
}

export async function findToken(q: Queryable, tokenHash: string) {
  const r = await rows<
    PrincipalRow & { token_id: number; expires_at: Date | string | null; revoked_at: Date | string | null; last_used_at: Date | string | null }
  >(
    q,
    sql`SELECT ${principalColumns}, t.id AS token_id, t.expires_at, t.revoked_at, t.last_used_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organizations o ON o.id = u.org_id
        WHERE t.token_hash = ${tokenHash}`,
  );
  return r[0];
}

export async function touchToken(q: Queryable, id: number) {
  await q.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
}

export async function listTokens(q: Queryable, userId: number) {
  return q.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(apiTokens.id);
}

export async function insertToken(q: Queryable, t: typeof apiTokens.$inferInsert) {
  const [row] = await q.insert(apiTokens).values(t).returning();
  return row;
}

export async function revokeToken(q: Queryable, userId: number, id: number) {
  const r = await q
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return r.length > 0;
}

export async function findUserForLogin(q: Queryable, username: string) {
  const [row] = await q
    .select({ user: users, orgKind: organizations.kind, orgName: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(sql`lower(${users.username}) = lower(${username})`);
  return row;
}

export async function findPrincipal(q: Queryable, userId: number) {
  const r = await rows<PrincipalRow>(
    q,
    sql`SELECT ${principalColumns} FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = ${userId}`,
  );
  return r[0];
}
