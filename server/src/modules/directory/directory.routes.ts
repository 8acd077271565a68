import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createGroupRequestSchema,
  createOrganizationRequestSchema,
  createUserRequestSchema,
  groupSchema,
  idParamsSchema,
  organizationSchema,
  pageOf,
  roleInfoSchema,
  roleSchema,
  updateGroupRequestSchema,
  updateOrganizationRequestSchema,
  updateUserRequestSchema,
  userListQuerySchema,
  userLookupQuerySchema,
  userLookupSchema,
  userSchema,
  userWithPasswordSchema,
  type Role,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { ROLE_PERMISSIONS } from '../../platform/auth/rbac.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import * as svc from './directory.service.ts';
import * as qs from './directory.queries.ts';
import { ticketOrgScope } from './tenant-scope.ts';

type OrgRow = Awaited<ReturnType<typeof qs.listOrganizations>>[number];
type UserRow = NonNullable<Awaited<ReturnType<typeof qs.findUser>>>;
type GroupRow = NonNullable<Awaited<ReturnType<typeof qs.findGroup>>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const orgOut = (o: OrgRow) => ({ id: o.id, name: o.name, code: o.code, kind: o.kind, createdAt: o.createdAt.toISOString() });
export const userOut = (r: UserRow) => ({
  id: r.user.id,
  username: r.user.username,
  displayName: r.user.displayName,
  email: r.user.email,
  phone: r.user.phone,
  managerId: r.user.managerId,
  orgId: r.user.orgId,
  orgName: r.orgName,
  roles: r.user.roles as Role[],
  status: r.user.status,
  locale: r.user.locale,
  lockedUntil: r.user.lockedUntil && r.user.lockedUntil > new Date() ? r.user.lockedUntil.toISOString() : null,
  mustChangePassword: r.user.mustChangePassword,
  lastLoginAt: iso(r.user.lastLoginAt),
  createdAt: r.user.createdAt.toISOString(),
});
const groupOut = (g: GroupRow) => ({
  id: g.id,
  name: g.name,
  description: g.description,
  leadUserId: g.leadUserId,
  memberIds: g.memberIds,
  orgIds: g.orgIds,
  createdAt: g.createdAt.toISOString(),
});

export function directoryRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.get(
      '/organizations',
      { config: { auth: ['org.read', 'ticket.read'] }, schema: { tags: ['organizations'], response: { 200: z.array(organizationSchema) } } },
      async (request) => (await svc.listOrganizations(db, mustActor(request.actor))).map(orgOut),
    );
    app.post(
      '/organizations',
      { config: { auth: 'org.manage' }, schema: { tags: ['organizations'], body: createOrganizationRequestSchema, response: { 201: organizationSchema } } },
      async (request, reply) => reply.code(201).send(orgOut(await svc.createOrganization(db, mustActor(request.actor), request.body))),
    );
    app.patch(
      '/organizations/:id',
      {
        config: { auth: 'org.manage' },
        schema: { tags: ['organizations'], params: idParamsSchema, body: updateOrganizationRequestSchema, response: { 200: organizationSchema } },
      },
      async (request) => orgOut(await svc.updateOrganization(db, mustActor(request.actor), request.params.id, request.body)),
    );

    app.get(
      '/users',
      { config: { auth: 'user.read' }, schema: { tags: ['users'], querystring: userListQuerySchema, response: { 200: pageOf(userSchema) } } },
      async (request) => {
        const q = request.query;
        const r = await qs.listUsers(db, q);
        return { items: r.items.map(userOut), total: r.total, page: q.page, pageSize: q.pageSize };
      },
    );
    app.post(
      '/users',
      { config: { auth: 'user.manage' }, schema: { tags: ['users'], body: createUserRequestSchema, response: { 201: userWithPasswordSchema } } },
      async (request, reply) => {
        const r = await svc.createUser(deps, mustActor(request.actor), request.body);
        return reply.code(201).send({ user: userOut(r.user), password: r.password });
      },
    );
    app.patch(
      '/users/:id',
      {
        config: { auth: ['user.manage', 'user.security'] },
        schema: { tags: ['users'], params: idParamsSchema, body: updateUserRequestSchema, response: { 200: userSchema } },
      },
      async (request) => {
        const actor = mustActor(request.actor);
        const body = request.body;
        // The security admin manages roles and status, not personal data.
        if (!actor.permissions.has('user.manage') && (body.displayName !== undefined || body.email !== undefined || body.phone !== undefined || body.managerId !== undefined)) {
          throw new AppError('FORBIDDEN');
        }
        return userOut(await svc.updateUser(db, actor, request.params.id, body));
      },
    );
    app.post(
      '/users/:id/reset-password',
      { config: { auth: ['user.security', 'user.manage'] }, schema: { tags: ['users'], params: idParamsSchema, response: { 200: userWithPasswordSchema } } },
      async (request) => {
        const r = await svc.resetPassword(db, mustActor(request.actor), request.params.id);
        return { user: userOut(r.user), password: r.password };
      },
    );
    app.post(
      '/users/:id/unlock',
      { config: { auth: ['user.security', 'user.manage'] }, schema: { tags: ['users'], params: idParamsSchema, response: { 200: userSchema } } },
      async (request) => userOut(await svc.unlockUser(db, mustActor(request.actor), request.params.id)),
    );
    app.get(
      '/lookup/users',
      { config: { auth: 'ticket.read' }, schema: { tags: ['users'], querystring: userLookupQuerySchema, response: { 200: z.array(userLookupSchema) } } },
      async (request) => {
        const actor = mustActor(request.actor);
        const scope = await ticketOrgScope(db, actor);
        // Pickers list people of the caller's scope plus the provider's own staff (assignees).
        const orgIds = scope === null ? null : [...new Set([...scope, actor.orgId])];
        const provider = actor.orgKind === 'customer' ? null : await qs.findProviderOrg(db);
        const q = request.query;
        const filterOrgs = q.orgId ? (orgIds === null || orgIds.includes(q.orgId) || q.orgId === provider?.id ? [q.orgId] : []) : orgIds && provider ? [...orgIds, provider.id] : orgIds;
        return qs.lookupUsers(db, { q: q.q, orgIds: filterOrgs, groupId: q.groupId, limit: q.limit });
      },
    );

    app.get(
      '/groups',
      { config: { auth: ['group.read', 'ticket.read'] }, schema: { tags: ['groups'], response: { 200: z.array(groupSchema) } } },
      async (request) => {
        // Customers see no support-group internals.
        if (mustActor(request.actor).orgKind === 'customer') return [];
        return (await qs.listGroups(db)).map(groupOut);
      },
    );
    app.post(
      '/groups',
      { config: { auth: 'group.manage' }, schema: { tags: ['groups'], body: createGroupRequestSchema, response: { 201: groupSchema } } },
      async (request, reply) => reply.code(201).send(groupOut(await svc.createGroup(db, mustActor(request.actor), request.body))),
    );
    app.patch(
      '/groups/:id',
      { config: { auth: 'group.manage' }, schema: { tags: ['groups'], params: idParamsSchema, body: updateGroupRequestSchema, response: { 200: groupSchema } } },
      async (request) => groupOut(await svc.updateGroup(db, mustActor(request.actor), request.params.id, request.body)),
    );
    app.get(
      '/roles',
      { config: { auth: 'role.read' }, schema: { tags: ['roles'], response: { 200: z.array(roleInfoSchema) } } },
      async () => roleSchema.options.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] })),
    );
  };
}
