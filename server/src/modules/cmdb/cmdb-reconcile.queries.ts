import { inArray, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { groups, organizations, users } from '../directory/directory.tables.ts';
import { ciItems } from './cmdb.tables.ts';
import type { CiRow } from './cmdb.queries.ts';

/*
 * Set-based statements of the reconciliation engine: a batch of up to 1,000 items costs a handful of
 * statements whatever its size. Lists travel as one jsonb parameter (identical on node-postgres and PGlite).
 */

export type MatchKeys = {
  ids: number[];
  serials: string[];
  assetTags: string[];
  cloudIds: string[];
  /** Host names per organisation, compared lower-case. */
  hosts: { org: number; v: string }[];
  ips: { org: number; v: string }[];
  /** Identifier-less items fall back on the name within their organisation and class. */
  names: { org: number; cls: number; v: string }[];
};

const j = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;

/** Every CI any key points at, locked so a concurrent writer cannot change it between the check and the write. */
export async function matchCandidates(q: Queryable, k: MatchKeys): Promise<CiRow[]> {
  const parts = [];
  if (k.ids.length) parts.push(sql`SELECT id FROM ci_items WHERE id IN (SELECT jsonb_array_elements_text(${j(k.ids)})::bigint)`);
  if (k.serials.length) parts.push(sql`SELECT id FROM ci_items WHERE serial_number IN (SELECT jsonb_array_elements_text(${j(k.serials)}))`);
  if (k.assetTags.length) parts.push(sql`SELECT id FROM ci_items WHERE asset_tag IN (SELECT jsonb_array_elements_text(${j(k.assetTags)}))`);
  if (k.cloudIds.length) parts.push(sql`SELECT id FROM ci_items WHERE cloud_id IN (SELECT jsonb_array_elements_text(${j(k.cloudIds)}))`);
  if (k.hosts.length) {
    parts.push(
      sql`SELECT c.id FROM jsonb_to_recordset(${j(k.hosts)}) AS h(org bigint, v text) JOIN ci_items c ON c.org_id = h.org AND lower(c.hostname) = h.v AND c.hostname IS NOT NULL`,
    );
  }
  if (k.ips.length) {
    parts.push(sql`SELECT c.id FROM jsonb_to_recordset(${j(k.ips)}) AS h(org bigint, v text) JOIN ci_items c ON c.org_id = h.org AND c.ip = h.v`);
  }
  if (k.names.length) {
    parts.push(
      sql`SELECT c.id FROM jsonb_to_recordset(${j(k.names)}) AS h(org bigint, cls bigint, v text) JOIN ci_items c ON c.org_id = h.org AND c.class_id = h.cls AND c.name = h.v`,
    );
  }
  if (!parts.length) return [];
  const union = sql.join(parts, sql` UNION `);
  return q
    .select()
    .from(ciItems)
    .where(inArray(ciItems.id, sql`(${union})`))
    .orderBy(ciItems.id)
    .for('update');
}

/** One lock per organisation touched, so two batches for one organisation run one after the other (no duplicate creates). */
export async function lockOrgs(q: Queryable, orgIds: number[]): Promise<void> {
  for (const org of [...new Set(orgIds)].sort((a, b) => a - b)) await q.execute(sql`SELECT pg_advisory_xact_lock(72910007, ${org}::int)`);
}

export async function allocateCiIds(q: Queryable, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await rows<{ id: number | string }>(q, sql`SELECT nextval(pg_get_serial_sequence('ci_items', 'id')) AS id FROM generate_series(1, ${n}::int)`);
  return r.map((x) => Number(x.id));
}

/**
 * Inserts with pre-allocated ids; a row another writer took meanwhile (unique identifier) is skipped and its id
 * not returned. The rows travel as one jsonb parameter: far cheaper than 16 bound parameters per row.
 */
export async function insertCis(q: Queryable, values: CiInsert[]): Promise<Set<number>> {
  if (!values.length) return new Set();
  const out = await rows<{ id: number | string }>(
    q,
    sql`INSERT INTO ci_items (id, class_id, name, org_id, owner_user_id, owner_group_id, location, importance, status,
                              serial_number, asset_tag, hostname, ip, cloud_id, attributes, version)
        SELECT v.id, v.class_id, v.name, v.org_id, v.owner_user_id, v.owner_group_id, v.location, v.importance, v.status,
               v.serial_number, v.asset_tag, v.hostname, v.ip, v.cloud_id, v.attributes, 1
        FROM jsonb_to_recordset(${j(values)}) AS v(
          id bigint, class_id bigint, name text, org_id bigint, owner_user_id bigint, owner_group_id bigint, location text,
          importance text, status text, serial_number text, asset_tag text, hostname text, ip text, cloud_id text, attributes jsonb)
        ON CONFLICT DO NOTHING
        RETURNING id`,
  );
  return new Set(out.map((r) => Number(r.id)));
}

export type CiInsert = Omit<CiUpdate, 'version'> & { class_id: number; org_id: number };

export type CiUpdate = {
  id: number;
  name: string;
  owner_user_id: number | null;
  owner_group_id: number | null;
  location: string | null;
  importance: string;
  status: string;
  serial_number: string | null;
  asset_tag: string | null;
  hostname: string | null;
  ip: string | null;
  cloud_id: string | null;
  attributes: Record<string, unknown>;
  version: number;
};

export async function updateCis(q: Queryable, list: CiUpdate[]): Promise<void> {
  if (!list.length) return;
  await q.execute(sql`
    UPDATE ci_items c SET
      name = v.name, owner_user_id = v.owner_user_id, owner_group_id = v.owner_group_id, location = v.location,
      importance = v.importance, status = v.status, serial_number = v.serial_number, asset_tag = v.asset_tag,
      hostname = v.hostname, ip = v.ip, cloud_id = v.cloud_id, attributes = v.attributes, version = v.version, updated_at = now()
    FROM jsonb_to_recordset(${j(list)}) AS v(
      id bigint, name text, owner_user_id bigint, owner_group_id bigint, location text, importance text, status text,
      serial_number text, asset_tag text, hostname text, ip text, cloud_id text, attributes jsonb, version int)
    WHERE c.id = v.id`);
}

export type VersionInsert = { ci_id: number; version: number; changed_by: number | null; changes: unknown; snapshot: unknown };

export async function insertVersions(q: Queryable, values: VersionInsert[]): Promise<void> {
  if (!values.length) return;
  await q.execute(sql`
    INSERT INTO ci_versions (ci_id, version, changed_by, changes, snapshot)
    SELECT v.ci_id, v.version, v.changed_by, v.changes, v.snapshot
    FROM jsonb_to_recordset(${j(values)}) AS v(ci_id bigint, version int, changed_by bigint, changes jsonb, snapshot jsonb)`);
}

/**
 * Version 1 of CIs just inserted, built by the database from the rows themselves rather than shipped as
 * JSON (parsing a 1 MB parameter was most of the cost of a batch of creates). The snapshot and the change
 * list are the same as `diffSnapshots({}, snapshot)` makes for POST /api/cis: the non-null CI fields in
 * their fixed order, then the attributes by key.
 */
export async function insertCreatedVersions(q: Queryable, ids: number[], changedBy: number | null): Promise<void> {
  if (!ids.length) return;
  await q.execute(sql`
    INSERT INTO ci_versions (ci_id, version, changed_by, changes, snapshot)
    SELECT c.id, 1, ${changedBy}::bigint,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('field', f.k, 'from', NULL, 'to', f.v) ORDER BY f.ord, f.k COLLATE "C"), '[]'::jsonb)
       FROM (SELECT e.key AS k, e.value AS v,
                    array_position(ARRAY['classId','name','orgId','ownerUserId','ownerGroupId','location','importance','status',
                                         'serialNumber','assetTag','hostname','ip','cloudId'], e.key) AS ord
             FROM jsonb_each(s.snap - 'attributes') e WHERE e.value <> 'null'::jsonb
             UNION ALL
             SELECT 'attr.' || a.key, a.value, 100 FROM jsonb_each(s.snap -> 'attributes') a WHERE a.value <> 'null'::jsonb) f),
      s.snap
    FROM ci_items c
    CROSS JOIN LATERAL (SELECT jsonb_build_object(
      'classId', c.class_id, 'name', c.name, 'orgId', c.org_id, 'ownerUserId', c.owner_user_id, 'ownerGroupId', c.owner_group_id,
      'location', c.location, 'importance', c.importance, 'status', c.status, 'serialNumber', c.serial_number,
      'assetTag', c.asset_tag, 'hostname', c.hostname, 'ip', c.ip, 'cloudId', c.cloud_id, 'attributes', c.attributes) AS snap) s
    WHERE c.id IN (SELECT jsonb_array_elements_text(${j(ids)})::bigint)`);
}

/** CIs (id, class, organisation) for reference attributes. */
export async function ciBriefs(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: ciItems.id, classId: ciItems.classId, orgId: ciItems.orgId }).from(ciItems).where(inArray(ciItems.id, ids));
}

/** CIs of these classes already holding one of these values of attribute `key` (unique attributes). */
export async function attributeHolders(q: Queryable, classIds: number[], key: string, values: unknown[]) {
  if (!values.length) return [];
  return rows<{ id: number; v: string }>(
    q,
    sql`SELECT id, attributes -> ${key} #>> '{}' AS v FROM ci_items
        WHERE class_id IN (SELECT jsonb_array_elements_text(${j(classIds)})::bigint)
          AND attributes -> ${key} IN (SELECT jsonb_array_elements(${j(values)}))`,
  );
}

export async function orgsByIdOrCode(q: Queryable, ids: number[], codes: string[]) {
  if (!ids.length && !codes.length) return [];
  return rows<{ id: number; code: string; name: string }>(
    q,
    sql`SELECT id, code, name FROM ${organizations}
        WHERE id IN (SELECT jsonb_array_elements_text(${j(ids)})::bigint) OR code IN (SELECT jsonb_array_elements_text(${j(codes)}))`,
  );
}

export async function orgsByCodeOrName(q: Queryable, texts: string[]) {
  if (!texts.length) return [];
  return rows<{ id: number; code: string; name: string }>(
    q,
    sql`SELECT id, code, name FROM ${organizations} WHERE code IN (SELECT jsonb_array_elements_text(${j(texts)})) OR name IN (SELECT jsonb_array_elements_text(${j(texts)}))`,
  );
}

export async function usersByUsername(q: Queryable, names: string[]) {
  if (!names.length) return [];
  return rows<{ id: number; username: string }>(
    q,
    sql`SELECT id, username FROM ${users} WHERE lower(username) IN (SELECT lower(jsonb_array_elements_text(${j(names)})))`,
  );
}

export async function groupsByName(q: Queryable, names: string[]) {
  if (!names.length) return [];
  return rows<{ id: number; name: string }>(q, sql`SELECT id, name FROM ${groups} WHERE name IN (SELECT jsonb_array_elements_text(${j(names)}))`);
}

export async function namesOf(q: Queryable, table: 'users' | 'groups' | 'organizations', ids: number[]) {
  if (!ids.length) return [];
  const t = table === 'users' ? sql`SELECT id, username AS v FROM users` : table === 'groups' ? sql`SELECT id, name AS v FROM groups` : sql`SELECT id, code AS v FROM organizations`;
  return rows<{ id: number; v: string }>(q, sql`${t} WHERE id IN (SELECT jsonb_array_elements_text(${j(ids)})::bigint)`);
}

/**
 * CIs of these organisations a text reference may name: serial number, asset tag, cloud id,
 * host name (any case) or name. Used for reference attributes and the relations sheet of an import.
 */
export async function cisByText(q: Queryable, orgIds: number[], texts: string[]) {
  if (!texts.length || !orgIds.length) return [];
  return rows<{ id: number; org_id: number; class_id: number; name: string; serial_number: string | null; asset_tag: string | null; cloud_id: string | null; hostname: string | null }>(
    q,
    sql`WITH t AS (SELECT jsonb_array_elements_text(${j(texts)}) AS v), o AS (SELECT jsonb_array_elements_text(${j(orgIds)})::bigint AS id)
        SELECT c.id, c.org_id, c.class_id, c.name, c.serial_number, c.asset_tag, c.cloud_id, c.hostname FROM ci_items c
        WHERE c.org_id IN (SELECT id FROM o) AND (
          c.serial_number IN (SELECT v FROM t) OR c.asset_tag IN (SELECT v FROM t) OR c.cloud_id IN (SELECT v FROM t)
          OR lower(c.hostname) IN (SELECT lower(v) FROM t) OR c.name IN (SELECT v FROM t))`,
  );
}
