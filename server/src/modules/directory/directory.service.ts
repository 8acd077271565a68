import type { CreateUserRequest, Role } from '@tianshu/contracts';
import type { z } from 'zod';
import type { createGroupRequestSchema, createOrganizationRequestSchema, updateGroupRequestSchema, updateUserRequestSchema } from '@tianshu/contracts';
import type { AppConfig } from '../../platform/config/config.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { can, type Actor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkPasswordPolicy, generatePassword, hashPassword } from '../../platform/auth/password.ts';
import { violatesRoleSeparation } from '../../platform/auth/rbac.ts';
import { deleteUserSessions } from '../../platform/auth/auth.queries.ts';
import * as qs from './directory.queries.ts';
import { ticketOrgScope } from './tenant-scope.ts';

type Deps = { db: Db; config: AppConfig };

export async function listOrganizations(db: Db, actor: Actor) {
  const broad = can(actor, 'org.read');
  const scope = broad ? null : await ticketOrgScope(db, actor);
  // Engineers and customers also need their own organisation in pickers.
  return qs.listOrganizations(db, scope === null ? null : [...new Set([...scope, actor.orgId])]);
}

export async function createOrganization(db: Db, actor: Actor, input: z.output<typeof createOrganizationRequestSchema>) {
  return db.transaction(async (tx) => {
    // Checked first: a unique violation would abort the transaction without a clear error.
    if (await qs.orgCodeExists(tx, input.code)) throw new AppError('ORG_CODE_TAKEN');
    const org = await qs.insertOrganization(tx, { name: input.name, code: input.code, kind: 'customer' });
    await recordAudit(tx, { actor, action: 'org.create', objectType: 'organization', objectId: org.id, result: 'success', details: { name: org.name, code: org.code } });
    return org;
  });
}

export async function updateOrganization(db: Db, actor: Actor, id: number, input: { name: string }) {
  return db.transaction(async (tx) => {
    const before = await qs.findOrganization(tx, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'organization' });
    const org = await qs.updateOrganization(tx, id, { name: input.name });
    await recordAudit(tx, { actor, action: 'org.update', objectType: 'organization', objectId: id, result: 'success', details: { changes: [{ field: 'name', from: before.name, to: input.name }] } });
    return org ?? before;
  });
}

export async function createUser(deps: Deps, actor: Actor, input: CreateUserRequest) {
  const { db, config } = deps;
  const roles = [...new Set(input.roles)] as Role[];
  if (violatesRoleSeparation(roles)) throw new AppError('ROLE_SEPARATION');
  let password = input.password ?? null;
  const generated = password === null;
  if (password !== null && !checkPasswordPolicy(password, { minLength: config.passwordMinLength, minClasses: config.passwordMinClasses })) {
    throw new AppError('AUTH_PASSWORD_POLICY', { minLength: config.passwordMinLength, minClasses: config.passwordMinClasses });
  }
  password ??= generatePassword();
  const hash = await hashPassword(password);
  const user = await db.transaction(async (tx) => {
    const org = await qs.findOrganization(tx, input.orgId);
    if (!org) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
    if (roles.includes('customer') && org.kind !== 'customer') throw new AppError('REFERENCE_INVALID', { object: 'organization' });
    if (!roles.includes('customer') && org.kind === 'customer') throw new AppError('REFERENCE_INVALID', { object: 'organization' });
    if (await qs.usernameExists(tx, input.username)) throw new AppError('USERNAME_TAKEN');
    if (input.managerId) await checkManager(tx, input.managerId, null);
    const u = await qs.insertUser(tx, {
      orgId: input.orgId,
      username: input.username,
      displayName: input.displayName,
      email: input.email ?? null,
      phone: input.phone ?? null,
      managerId: input.managerId ?? null,
      passwordHash: hash,
      roles,
      locale: input.locale ?? 'zh-CN',
      mustChangePassword: true,
    });
    await recordAudit(tx, {
      actor,
      action: 'user.create',
      objectType: 'user',
      objectId: u.id,
      result: 'success',
      details: { username: u.username, roles, orgId: u.orgId },
    });
    return u;
  });
  const full = await qs.findUser(db, user.id);
  if (!full) throw new Error('user vanished');
  return { user: full, password: generated ? password : null };
}

/** A line manager must be another existing, active user (approver of "requester's manager" steps). */
async function checkManager(q: Queryable, managerId: number, userId: number | null) {
  const m = await qs.findUser(q, managerId);
  if (!m || m.user.status !== 'active' || managerId === userId) throw new AppError('REFERENCE_INVALID', { object: 'manager' });
}

export async function updateUser(db: Db, actor: Actor, id: number, input: z.output<typeof updateUserRequestSchema>) {
  return db.transaction(async (tx) => {
    const current = await qs.findUser(tx, id);
    if (!current) throw new AppError('NOT_FOUND', { object: 'user' });
    const before = current.user;
    const patch: Record<string, unknown> = {};
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    const set = (field: string, from: unknown, to: unknown) => {
      if (to === undefined || JSON.stringify(from) === JSON.stringify(to)) return;
      patch[field] = to;
      changes.push({ field, from, to });
    };
    set('displayName', before.displayName, input.displayName);
    set('email', before.email, input.email);
    set('phone', before.phone, input.phone);
    if (input.managerId) await checkManager(tx, input.managerId, id);
    set('managerId', before.managerId, input.managerId);
    set('status', before.status, input.status);
    if (input.roles) {
      const roles = [...new Set(input.roles)] as Role[];
      if (id === actor.userId) throw new AppError('FORBIDDEN');
      if (violatesRoleSeparation(roles)) throw new AppError('ROLE_SEPARATION');
      set('roles', before.roles, roles);
    }
    if (id === actor.userId && input.status === 'disabled') throw new AppError('FORBIDDEN');
    if (changes.length === 0) return current;
    await qs.updateUser(tx, id, { ...patch, updatedAt: new Date() });
    if (patch.status === 'disabled' || patch.roles) await deleteUserSessions(tx, id);
    await recordAudit(tx, { actor, action: 'user.update', objectType: 'user', objectId: id, result: 'success', details: { changes } });
    const after = await qs.findUser(tx, id);
    if (!after) throw new Error('user vanished');
    return after;
  });
}

export async function resetPassword(db: Db, actor: Actor, id: number) {
  if (id === actor.userId) throw new AppError('FORBIDDEN');
  const password = generatePassword();
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const current = await qs.findUser(tx, id);
    if (!current) throw new AppError('NOT_FOUND', { object: 'user' });
    await qs.updateUser(tx, id, { passwordHash: hash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, updatedAt: new Date() });
    await deleteUserSessions(tx, id);
    await recordAudit(tx, { actor, action: 'user.reset_password', objectType: 'user', objectId: id, result: 'success' });
    const after = await qs.findUser(tx, id);
    if (!after) throw new Error('user vanished');
    return { user: after, password };
  });
}

export async function unlockUser(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const current = await qs.findUser(tx, id);
    if (!current) throw new AppError('NOT_FOUND', { object: 'user' });
    await qs.updateUser(tx, id, { failedLogins: 0, lockedUntil: null, updatedAt: new Date() });
    await recordAudit(tx, { actor, action: 'user.unlock', objectType: 'user', objectId: id, result: 'success' });
    const after = await qs.findUser(tx, id);
    if (!after) throw new Error('user vanished');
    return after;
  });
}

async function checkGroupRefs(db: Db, input: { leadUserId?: number | null | undefined; memberIds?: number[] | undefined; orgIds?: number[] | undefined }) {
  const memberIds = input.memberIds ?? [];
  const leadIds = input.leadUserId ? [input.leadUserId] : [];
  const userIds = [...new Set([...memberIds, ...leadIds])];
  if ((await qs.countExisting(db, 'users', userIds)) !== userIds.length) throw new AppError('REFERENCE_INVALID', { object: 'user' });
  const orgIds = [...new Set(input.orgIds ?? [])];
  if ((await qs.countExisting(db, 'organizations', orgIds)) !== orgIds.length) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
}

export async function createGroup(db: Db, actor: Actor, input: z.output<typeof createGroupRequestSchema>) {
  await checkGroupRefs(db, input);
  return db.transaction(async (tx) => {
    if (await qs.groupNameExists(tx, input.name)) throw new AppError('GROUP_NAME_TAKEN');
    const g = await qs.insertGroup(tx, { name: input.name, description: input.description ?? null, leadUserId: input.leadUserId ?? null });
    await qs.setGroupMembers(tx, g.id, input.memberIds);
    await qs.setGroupOrgs(tx, g.id, input.orgIds);
    await recordAudit(tx, { actor, action: 'group.create', objectType: 'group', objectId: g.id, result: 'success', details: { ...input } });
    const full = await qs.findGroup(tx, g.id);
    if (!full) throw new Error('group vanished');
    return full;
  });
}

export async function updateGroup(db: Db, actor: Actor, id: number, input: z.output<typeof updateGroupRequestSchema>) {
  await checkGroupRefs(db, input);
  return db.transaction(async (tx) => {
    const before = await qs.findGroup(tx, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'group' });
    if (input.name && (await qs.groupNameExists(tx, input.name, id))) throw new AppError('GROUP_NAME_TAKEN');
    const patch: Record<string, unknown> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    if (input.leadUserId !== undefined) patch.leadUserId = input.leadUserId;
    await qs.updateGroup(tx, id, patch);
    if (input.memberIds) await qs.setGroupMembers(tx, id, input.memberIds);
    if (input.orgIds) await qs.setGroupOrgs(tx, id, input.orgIds);
    await recordAudit(tx, { actor, action: 'group.update', objectType: 'group', objectId: id, result: 'success', details: { before, after: input } });
    const full = await qs.findGroup(tx, id);
    if (!full) throw new Error('group vanished');
    return full;
  });
}
