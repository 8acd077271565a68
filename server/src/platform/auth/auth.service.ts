import { eq, sql } from 'drizzle-orm';
import type { Me, Role } from '@tianshu/contracts';
import type { AppConfig } from '../config/config.ts';
import type { Db } from '../db/db.ts';
import { AppError } from '../errors/error-registry.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { organizations, users } from '../../modules/directory/directory.tables.ts';
import type { Actor } from './actor.ts';
import {
  deleteSession,
  deleteUserSessions,
  findUserForLogin,
  insertSession,
  insertToken,
  listTokens,
  revokeToken,
} from './auth.queries.ts';
import { burnVerifyTime, checkPasswordPolicy, hashPassword, randomToken, sha256, verifyPassword } from './password.ts';
import { permissionsOf } from './rbac.ts';

type Deps = { db: Db; config: AppConfig };
type Client = { ip: string | null; userAgent: string | null };

export async function login(deps: Deps, input: { username: string; password: string }, client: Client) {
  const { db, config } = deps;
  const found = await findUserForLogin(db, input.username);
  const fail = async (reason: string, userId: number | null) =>
    recordAudit(db, {
      actor: null,
      actorName: input.username.slice(0, 64),
      ip: client.ip,
      action: 'auth.login',
      objectType: 'user',
      objectId: userId,
      result: 'failed',
      details: { reason },
    });
  if (!found) {
    await burnVerifyTime(input.password);
    await fail('unknown user', null);
    throw new AppError('AUTH_INVALID_CREDENTIALS');
  }
  const u = found.user;
  const now = new Date();
  if (u.lockedUntil && u.lockedUntil > now) {
    await fail('locked', u.id);
    throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: Math.ceil((u.lockedUntil.getTime() - now.getTime()) / 60_000) });
  }
  const ok = await verifyPassword(u.passwordHash, input.password);
  if (!ok) {
    // Count atomically so parallel guesses cannot slip past the threshold.
    const [row] = await db
      .update(users)
      .set({
        failedLogins: sql`${users.failedLogins} + 1`,
        lockedUntil: sql`CASE WHEN ${users.failedLogins} + 1 >= ${config.lockoutThreshold}
          THEN now() + make_interval(mins => ${config.lockoutMinutes}) ELSE NULL END`,
      })
      .where(eq(users.id, u.id))
      .returning({ failedLogins: users.failedLogins });
    const lockedNow = (row?.failedLogins ?? 0) >= config.lockoutThreshold;
    await fail(lockedNow ? 'wrong password, account locked' : 'wrong password', u.id);
    if (lockedNow) throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: config.lockoutMinutes });
    throw new AppError('AUTH_INVALID_CREDENTIALS');
  }
  if (u.status !== 'active') {
    await fail('disabled', u.id);
    throw new AppError('AUTH_ACCOUNT_DISABLED');
  }
  const sid = randomToken(32);
  const csrf = randomToken(24);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, u.id));
    await insertSession(tx, {
      idHash: sha256(sid),
      userId: u.id,
      csrfToken: csrf,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(now.getTime() + config.sessionMaxHours * 3_600_000),
    });
    await recordAudit(tx, {
      actor: null,
      actorName: u.username,
      ip: client.ip,
      action: 'auth.login',
      objectType: 'user',
      objectId: u.id,
      result: 'success',
    });
  });
  return { sid, me: meDto(u, found.orgName, found.orgKind, csrf) };
}

export async function getMe(db: Db, actor: Actor): Promise<Me> {
  const [row] = await db
    .select({ user: users, orgName: organizations.name, orgKind: organizations.kind })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.id, actor.userId));
  if (!row) throw new AppError('AUTH_REQUIRED');
  return meDto(row.user, row.orgName, row.orgKind, actor.csrfToken);
}

function meDto(u: typeof users.$inferSelect, orgName: string, orgKind: 'provider' | 'customer', csrfToken: string | null): Me {
  const roles = u.roles as Role[];
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email,
    orgId: u.orgId,
    orgName,
    orgKind,
    roles,
    permissions: permissionsOf(roles),
    locale: u.locale,
    mustChangePassword: u.mustChangePassword,
    csrfToken,
  };
}

export async function updateMe(db: Db, actor: Actor, input: { locale?: 'zh-CN' | 'en-US' | undefined; displayName?: string | undefined }) {
  const patch: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (input.locale) patch.locale = input.locale;
  if (input.displayName) patch.displayName = input.displayName;
  await db.transaction(async (tx) => {
    await tx.update(users).set(patch).where(eq(users.id, actor.userId));
    await recordAudit(tx, { actor, action: 'user.update_self', objectType: 'user', objectId: actor.userId, result: 'success', details: { ...input } });
  });
  return getMe(db, { ...actor, locale: input.locale ?? actor.locale });
}

export async function logout(db: Db, actor: Actor, everywhere: boolean) {
  await db.transaction(async (tx) => {
    if (everywhere) await deleteUserSessions(tx, actor.userId);
    else if (actor.sessionIdHash) await deleteSession(tx, actor.sessionIdHash);
    await recordAudit(tx, { actor, action: everywhere ? 'auth.logout_all' : 'auth.logout', objectType: 'user', objectId: actor.userId, result: 'success' });
  });
}

export async function changePassword(deps: Deps, actor: Actor, input: { currentPassword: string; newPassword: string }) {
  const { db, config } = deps;
  const [u] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!u) throw new AppError('AUTH_REQUIRED');
  if (!(await verifyPassword(u.passwordHash, input.currentPassword))) {
    await recordAudit(db, { actor, action: 'auth.password_change', objectType: 'user', objectId: u.id, result: 'failed', details: { reason: 'wrong current password' } });
    throw new AppError('AUTH_INVALID_CREDENTIALS');
  }
  if (input.newPassword === input.currentPassword) throw new AppError('AUTH_PASSWORD_REUSED');
  if (!checkPasswordPolicy(input.newPassword, { minLength: config.passwordMinLength, minClasses: config.passwordMinClasses })) {
    throw new AppError('AUTH_PASSWORD_POLICY', { minLength: config.passwordMinLength, minClasses: config.passwordMinClasses });
  }
  const hash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: hash, mustChangePassword: false, passwordChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, u.id));
    // Other sessions of this user end; the current one continues.
    await tx.execute(
      sql`DELETE FROM sessions WHERE user_id = ${u.id} AND id_hash <> ${actor.sessionIdHash ?? ''}`,
    );
    await recordAudit(tx, { actor, action: 'auth.password_change', objectType: 'user', objectId: u.id, result: 'success' });
  });
  return getMe(db, { ...actor, mustChangePassword: false });
}

export async function listApiTokens(db: Db, actor: Actor) {
  return listTokens(db, actor.userId);
}

export async function createApiToken(db: Db, actor: Actor, input: { name: string; expiresInDays?: number | undefined }) {
  const secret = `tsk_${randomToken(30)}`;
  return db.transaction(async (tx) => {
    const row = await insertToken(tx, {
      userId: actor.userId,
      name: input.name,
      prefix: secret.slice(0, 10),
      tokenHash: sha256(secret),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    });
    if (!row) throw new Error('token insert returned nothing');
    await recordAudit(tx, { actor, action: 'token.create', objectType: 'api_token', objectId: row.id, result: 'success', details: { name: input.name } });
    return { row, secret };
  });
}

export async function revokeApiToken(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    if (!(await revokeToken(tx, actor.userId, id))) throw new AppError('NOT_FOUND', { object: 'token' });
    await recordAudit(tx, { actor, action: 'token.revoke', objectType: 'api_token', objectId: id, result: 'success' });
  });
}
