import { and, count, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CiClass, ReconcileResult } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ciItems, ciVersions } from './cmdb.tables.ts';
import { diffSnapshots } from './attribute-validation.ts';
import { snapshotOf } from './ci-items.service.ts';
import type { CiRow } from './cmdb.queries.ts';

type Err = { error: { code: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let cls: CiClass;
let other: CiClass;
let agent: Client;

beforeAll(async () => {
  const admin = await world.w.as('sysadmin');
  const mk = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/ci-classes', body);
    expect(res.statusCode, res.body).toBe(201);
    return json<CiClass>(res);
  };
  cls = await mk({
    key: uniq('t_rec'),
    name: `发现测试${uniq('')}`,
    namingRule: '{hostname}',
    attributes: [
      { key: 'os', label: '操作系统', type: 'string', required: true },
      { key: 'cores', label: 'CPU 核数', type: 'number' },
      { key: 'inventory_no', label: '盘点编号', type: 'string', unique: true },
    ],
  });
  other = await mk({ key: uniq('t_rec_other'), name: `其他${uniq('')}`, attributes: [] });
  agent = await world.w.as('agent');
});

// A distinct address block per test: IP addresses identify CIs within an organisation too.
let block = 0;
const blocks = new Map<string, number>();
const host = (t: string, i: number) => ({
  class: cls.key,
  org: world.w.custA.code,
  identifiers: { serialNumber: `SN-${t}-${i}`, hostname: `h${i}-${t}`, ip: `10.${blocks.get(t) ?? (blocks.set(t, ++block), block)}.${Math.floor(i / 250)}.${(i % 250) + 1}` },
  attributes: { os: 'CentOS 7', cores: 4 },
});

async function send(items: unknown[], c: Client = agent) {
  const res = await c.post('/api/cmdb/reconcile', { source: 'test-scanner', items });
  expect(res.statusCode, res.body).toBe(200);
  return json<ReconcileResult>(res);
}

const countOf = async (t: string) => {
  const [r] = await db()
    .select({ n: count() })
    .from(ciItems)
    .where(and(eq(ciItems.orgId, world.w.custA.id), inArray(ciItems.classId, [cls.id, other.id])));
  void t;
  return Number(r?.n ?? 0);
};

describe('reconcile API', () => {
  it('creates, leaves unchanged, updates only what changed, and never duplicates on resend', async () => {
    const t = uniq('');
    const start = await countOf(t);
    const batch = Array.from({ length: 50 }, (_, i) => host(t, i));
    const first = await send(batch);
    expect(first.totals).toEqual({ created: 50, updated: 0, unchanged: 0, conflict: 0 });
    const created = await db().select().from(ciItems).where(eq(ciItems.serialNumber, `SN-${t}-0`));
    expect(created[0]).toMatchObject({ name: `h0-${t}`, hostname: `h0-${t}`, attributes: { os: 'CentOS 7', cores: 4 }, version: 1 });
    // Version 1 is built in SQL: the same snapshot and change list as POST /api/cis writes.
    const [v1] = await db().select().from(ciVersions).where(eq(ciVersions.ciId, created[0]?.id ?? 0));
    const snap = snapshotOf(created[0] as CiRow);
    expect(v1?.snapshot).toEqual(snap);
    expect(v1?.changes).toEqual(diffSnapshots({}, snap as unknown as Record<string, unknown>));
    expect(v1?.changedBy).toBe(agent.userId);

    const again = await send(batch);
    expect(again.totals).toEqual({ created: 0, updated: 0, unchanged: 50, conflict: 0 });
    expect(again.items.map((r) => r.ciId)).toEqual(first.items.map((r) => r.ciId));
    expect(await countOf(t)).toBe(start + 50);

    // Change 5 items; the others are unchanged and get no version row.
    const changed = batch.map((b, i) => (i % 10 === 0 ? { ...b, attributes: { cores: 8 }, status: 'in_use' as const } : b));
    const third = await send(changed);
    expect(third.totals).toEqual({ created: 0, updated: 5, unchanged: 45, conflict: 0 });
    const ids = first.items.map((r) => r.ciId as number);
    const versions = await db().select({ ciId: ciVersions.ciId, version: ciVersions.version, changes: ciVersions.changes }).from(ciVersions).where(inArray(ciVersions.ciId, ids));
    expect(versions.length).toBe(55);
    const v2 = versions.find((v) => v.ciId === ids[0] && v.version === 2);
    expect((v2?.changes as { field: string }[]).map((c) => c.field)).toEqual(['status', 'attr.cores']);
    const [row0] = await db().select().from(ciItems).where(eq(ciItems.id, ids[0] as number));
    // Attributes are merged: os kept, cores replaced.
    expect(row0?.attributes).toEqual({ os: 'CentOS 7', cores: 8 });

    // Matching by host name + IP when no serial is sent; by IP alone after a rename.
    const byHost = await send([{ class: cls.key, org: world.w.custA.id, identifiers: { hostname: `H1-${t}`, ip: batch[1]?.identifiers.ip }, attributes: { cores: 16 } }]);
    expect(byHost.items[0]).toMatchObject({ outcome: 'updated', ciId: ids[1] });
    const renamed = await send([{ class: cls.key, org: world.w.custA.id, identifiers: { hostname: `renamed-${t}`, ip: batch[2]?.identifiers.ip }, attributes: {} }]);
    expect(renamed.items[0]).toMatchObject({ outcome: 'updated', ciId: ids[2] });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'cmdb.reconcile'), eq(auditLog.actorId, agent.userId)));
    expect(audits.some((a) => (a.details as { source?: string; created?: number }).created === 50)).toBe(true);
  });

  it('reports conflicts and writes nothing for them', async () => {
    const t = uniq('');
    const base = await send([host(t, 1), host(t, 2)]);
    expect(base.totals.created).toBe(2);
    const [a, b] = base.items.map((r) => r.ciId);
    const items = [
      // serial -> CI a, hostname -> CI b
      { class: cls.key, org: world.w.custA.code, identifiers: { serialNumber: `SN-${t}-1`, hostname: `h2-${t}` }, attributes: {} },
      // attribute validation
      { class: cls.key, org: world.w.custA.code, identifiers: { serialNumber: `SN-${t}-9` , hostname: `h9-${t}` }, attributes: { cores: 'many' } },
      // required attribute missing on create
      { class: cls.key, org: world.w.custA.code, identifiers: { serialNumber: `SN-${t}-10`, hostname: `h10-${t}` }, attributes: {} },
      // unknown class and organisation
      { class: 'no_such_class', org: world.w.custA.code, identifiers: {}, attributes: {} },
      { class: cls.key, org: 'NO-SUCH-ORG', identifiers: { hostname: 'x' }, attributes: { os: 'x' } },
      // the same CI twice in one batch
      { class: cls.key, org: world.w.custA.code, identifiers: { serialNumber: `SN-${t}-11`, hostname: `h11-${t}` }, attributes: { os: 'x' } },
      { class: cls.key, org: world.w.custA.code, identifiers: { serialNumber: `SN-${t}-11` }, attributes: { os: 'y' } },
      // unique attribute taken within the batch
      { class: cls.key, org: world.w.custA.code, identifiers: { hostname: `u1-${t}` }, attributes: { os: 'x', inventory_no: `INV-${t}` } },
      { class: cls.key, org: world.w.custA.code, identifiers: { hostname: `u2-${t}` }, attributes: { os: 'x', inventory_no: `INV-${t}` } },
      // no name and no naming-rule input
      { class: cls.key, org: world.w.custA.code, identifiers: { serialNumber: `SN-${t}-12` }, attributes: { os: 'x' } },
    ];
    const r = await send(items);
    expect(r.items.map((x) => [x.outcome, x.reason ?? null])).toEqual([
      ['conflict', 'identifiers_split'],
      ['conflict', 'attribute_invalid'],
      ['conflict', 'attribute_invalid'],
      ['conflict', 'class_unknown'],
      ['conflict', 'org_unknown'],
      ['created', null],
      ['conflict', 'duplicate_in_batch'],
      ['created', null],
      ['conflict', 'attribute_invalid'],
      ['conflict', 'name_required'],
    ]);
    expect(r.items[0]?.message).toContain(`#${a}`);
    expect(r.items[0]?.message).toContain(`#${b}`);
    expect(r.totals).toEqual({ created: 2, updated: 0, unchanged: 0, conflict: 8 });
    // A class mismatch, and an organisation mismatch (serial numbers are unique across the CMDB).
    const mismatch = await send([
      { class: other.key, org: world.w.custA.code, name: 'x', identifiers: { serialNumber: `SN-${t}-1` }, attributes: {} },
      { class: cls.key, org: world.w.custB.code, identifiers: { serialNumber: `SN-${t}-2` }, attributes: {} },
    ]);
    expect(mismatch.items.map((x) => [x.reason, x.ciId])).toEqual([
      ['class_mismatch', a],
      ['org_mismatch', b],
    ]);
    const rows = await db().select().from(ciItems).where(inArray(ciItems.serialNumber, [`SN-${t}-9`, `SN-${t}-10`, `SN-${t}-12`]));
    expect(rows).toHaveLength(0);
    const [untouched] = await db().select().from(ciItems).where(eq(ciItems.id, a as number));
    expect(untouched?.version).toBe(1);
  });

  it('concurrent sends of the same batch create each CI once', async () => {
    const t = uniq('');
    const batch = Array.from({ length: 40 }, (_, i) => host(t, i + 300));
    const results = await Promise.all([send(batch), send(batch), send(batch)]);
    const created = results.reduce((n, r) => n + r.totals.created, 0);
    const unchanged = results.reduce((n, r) => n + r.totals.unchanged, 0);
    expect(created).toBe(40);
    expect(unchanged).toBe(80);
    expect(results.every((r) => r.totals.conflict === 0)).toBe(true);
    const rows = await db().select({ id: ciItems.id }).from(ciItems).where(inArray(ciItems.serialNumber, batch.map((b) => b.identifiers.serialNumber)));
    expect(rows).toHaveLength(40);
  });

  it('validates the request and scopes by organisation', async () => {
    const tooMany = await agent.post('/api/cmdb/reconcile', { source: 's', items: Array.from({ length: 1001 }, () => ({ class: cls.key, org: 1 })) });
    expect(json<Err>(tooMany).error.code).toBe('VALIDATION_FAILED');
    // An engineer serving only customer A cannot write into customer B.
    const engineer = await world.w.as('engineer');
    const r = await send([{ ...host(uniq(''), 1), org: world.w.custB.code }], engineer);
    expect(r.items[0]).toMatchObject({ outcome: 'conflict', reason: 'org_unknown' });
  });
});
