import { and, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { escapeLike } from '../../platform/audit/audit.queries.ts';
import { groupMembers, groupOrgs, groups, organizations, users } from './directory.tables.ts';

export async function listOrganizations(q: Queryable, onlyIds: number[] | null) {
  const where = onlyIds ? inArray(organizations.id, onlyIds.length ? onlyIds : [-1]) : undefined;
  return q.select().from(organizations).where(where).orderBy(organizations.kind, organizations.id);
}

export async function findOrganization(q: Queryable, id: number) {
  const [row] = await q.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

export async function findProviderOrg(q: Queryable) {
  const [row] = await q.select().from(organizations).where(eq(organizations.kind, 'provider')).orderBy(organizations.id).limit(1);
  return row;
}

export async function orgCodeExists(q: Queryable, code: string) {
  const [row] = await q.select({ id: organizations.id }).from(organizations).where(sql`lower(${organizations.code}) = lower(${code})`);
  return row !== undefined;
}

export async function insertOrganization(q: Queryable, v: typeof organizations.$inferInsert) {
  const [row] = await q.insert(organizations).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateOrganization(q: Queryable, id: number, v: Partial<typeof organizations.$inferInsert>) {
  const [row] = await q.update(organizations).set(v).where(eq(organizations.id, id)).returning();
  return row;
}

/** Organisations served by the groups a user belongs to (the engineer's tenant scope). */
export async function servedOrgIds(q: Queryable, userId: number): Promise<number[]> {
  const r = await rows<{ org_id: number }>(
    q,
    sql`SELECT DISTINCT go.org_id FROM group_members gm JOIN group_orgs go ON go.group_id = gm.group_id WHERE gm.user_id = ${userId}`,
  );
  return r.map((x) => Number(x.org_id));
}

export async function groupIdsOf(q: Queryable, userId: number): Promise<number[]> {
  const r = await q.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, userId));
  return r.map((x) => x.id);
}

const userColumns = {
  user: users,
  orgName: organizations.name,
};

export async function listUsers(
  q: Queryable,
  f: { q?: string | undefined; orgId?: number | undefined; role?: string | undefined; page: number; pageSize: number },
) {
  const conds: SQL[] = [];
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    const c = or(ilike(users.username, like), ilike(users.displayName, like));
    if (c) conds.push(c);
  }
  if (f.orgId) conds.push(eq(users.orgId, f.orgId));
  if (f.role) conds.push(sql`${f.role} = ANY(${users.roles})`);
  const where = conds.length ? and(...conds) : undefined;
  const items = await q
    .select(userColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(where)
    .orderBy(users.id)
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  const [c] = await q.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
  return { items, total: Number(c?.n ?? 0) };
}

export async function findUser(q: Queryable, id: number) {
  const [row] = await q
    .select(userColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.id, id));
  return row;
}

export async function usernameExists(q: Queryable, username: string) {
  const [row] = await q.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${username})`);
  return row !== undefined;
}

export async function insertUser(q: Queryable, v: typeof users.$inferInsert) {
  const [row] = await q.insert(users).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateUser(q: Queryable, id: number, v: Partial<typeof users.$inferInsert>) {
  const [row] = await q.update(users).set(v).where(eq(users.id, id)).returning();
  return row;
}

export async function lookupUsers(
  q: Queryable,
  f: { q?: string | undefined; orgIds: number[] | null; groupId?: number | undefined; limit: number },
) {
  const conds: SQL[] = [eq(users.status, 'active')];
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    const c = or(ilike(users.username, like), ilike(users.displayName, like));
    if (c) conds.push(c);
  }
  if (f.orgIds) conds.push(inArray(users.orgId, f.orgIds.length ? f.orgIds : [-1]));
  if (f.groupId) {
    conds.push(sql`EXISTS (SELECT 1 FROM group_members gm WHERE gm.user_id = ${users.id} AND gm.group_id = ${f.groupId})`);
  }
  return q
    .select({ id: users.id, username: users.username, displayName: users.displayName, orgId: users.orgId })
    .from(users)
    .where(and(...conds))
    .orderBy(users.displayName)
    .limit(f.limit);
}

export async function listGroups(q: Queryable) {
  const gs = await q.select().from(groups).orderBy(groups.id);
  const members = await q.select().from(groupMembers);
  const orgs = await q.select().from(groupOrgs);
  return gs.map((g) => ({
    ...g,
    memberIds: members.filter((m) => m.groupId === g.id).map((m) => m.userId),
    orgIds: orgs.filter((o) => o.groupId === g.id).map((o) => o.orgId),
  }));
}

export async function findGroup(q: Queryable, id: number) {
  const [g] = await q.select().from(groups).where(eq(groups.id, id));
  if (!g) return undefined;
  const members = await q.select().from(groupMembers).where(eq(groupMembers.groupId, id));
  const orgs = await q.select().from(groupOrgs).where(eq(groupOrgs.groupId, id));
  return { ...g, memberIds: members.map((m) => m.userId), orgIds: orgs.map((o) => o.orgId) };
}

export async function groupNameExists(q: Queryable, name: string, exceptId?: number) {
  const [row] = await q.select({ id: groups.id }).from(groups).where(eq(groups.name, name));
  return row !== undefined && row.id !== exceptId;
}

export async function insertGroup(q: Queryable, v: typeof groups.$inferInsert) {
  const [row] = await q.insert(groups).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateGroup(q: Queryable, id: number, v: Partial<typeof groups.$inferInsert>) {
  if (Object.keys(v).length === 0) return;
  await q.update(groups).set(v).where(eq(groups.id, id));
}

export async function setGroupMembers(q: Queryable, groupId: number, userIds: number[]) {
  await q.delete(groupMembers).where(eq(groupMembers.groupId, groupId));
  if (userIds.length) await q.insert(groupMembers).values([...new Set(userIds)].map((userId) => ({ groupId, userId })));
}

export async function setGroupOrgs(q: Queryable, groupId: number, orgIds: number[]) {
  await q.delete(groupOrgs).where(eq(groupOrgs.groupId, groupId));
  if (orgIds.length) await q.insert(groupOrgs).values([...new Set(orgIds)].map((orgId) => ({ groupId, orgId })));
}

export async function countExisting(q: Queryable, table: 'users' | 'organizations', ids: number[]) {
  if (ids.length === 0) return 0;
  const t = table === 'users' ? users : organizations;
  const [c] = await q.select({ n: sql<number>`count(*)::int` }).from(t).where(inArray(t.id, [...new Set(ids)]));
  return Number(c?.n ?? 0);
}

/** Active members of a group (notification recipients). */
export async function groupMemberIds(q: Queryable, groupId: number): Promise<number[]> {
  const r = await q
    .select({ id: groupMembers.userId })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(and(eq(groupMembers.groupId, groupId), eq(users.status, 'active')));
  return r.map((x) => x.id);
}

export async function isGroupMember(q: Queryable, groupId: number, userId: number) {
  const [r] = await q
    .select({ u: groupMembers.userId })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  return r !== undefined;
}
