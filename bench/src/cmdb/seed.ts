import { sql } from 'drizzle-orm';
import { rows, type Database, type Db } from '../../../server/src/platform/db/db.ts';
import { hashPassword } from '../../../server/src/platform/auth/password.ts';
import { actorFromPrincipal, type Actor } from '../../../server/src/platform/auth/actor.ts';
import { insertOrganization, insertUser } from '../../../server/src/modules/directory/directory.queries.ts';
import { ensureBuiltinClasses } from '../../../server/src/modules/cmdb/builtin-classes.ts';
import { ensureBuiltinRelationTypes } from '../../../server/src/modules/cmdb/builtin-relation-types.ts';
import { createRng, type Rng } from '../lib/random.ts';

/**
 * A fresh CMDB of N CIs and M relations in one customer organisation, shaped like a data centre:
 *
 *   business service  depends_on  application  depends_on  app instance / database / middleware
 *   app instance / database / middleware  runs_on  VM (some on a physical server)
 *   VM  runs_on  physical server;  rack  contains  physical server / storage / network / security / power
 *   machine room  contains  rack / power;  server / storage  connects_to  access switch  connects_to
 *   aggregation switch  connects_to  core switch  connects_to  firewall / router
 *
 * The layered relations come first (each CI gets its parents); the rest of M is filled with the links a
 * real CMDB accumulates: app instances and applications depending on shared databases and middleware,
 * storage backing up databases and servers, software installed on hosts, a second uplink per server,
 * application-to-application dependencies (including ~1 % mutual pairs: cycles) and core switches
 * meshed with each other (more cycles). Every pair respects the built-in relation types' allowed pairs.
 * CIs and relations are bulk-inserted with unnest().
 */

export type ClassCount = { key: string; count: number };
export type CmdbSeedResult = {
  cis: number;
  relations: number;
  classes: ClassCount[];
  relationsByType: { key: string; count: number }[];
  /** Mutual depends_on pairs between applications and meshed core switches. */
  cyclePairs: number;
  orgId: number;
  migrateMs: number;
  loadMs: number;
  /** VACUUM ANALYZE. */
  finishMs: number;
  databaseSizeMb: number | null;
};

export type CmdbIds = { businessServices: number[]; physicalServers: number[]; racks: number[]; coreSwitches: number[] };

export type CmdbActors = { agent: Actor; customer: Actor };

/** Shares of N per class; VMs take the remainder. */
const SHARES: [string, number][] = [
  ['business_service', 0.003],
  ['application', 0.02],
  ['app_instance', 0.16],
  ['database', 0.05],
  ['middleware', 0.05],
  ['server.physical', 0.1],
  ['rack', 0.01],
  ['dc_room', 0.0002],
  ['network.switch', 0.04],
  ['network.router', 0.005],
  ['network.firewall', 0.005],
  ['storage', 0.01],
  ['power', 0.005],
  ['security_device', 0.005],
];

const NAMES: Record<string, string> = {
  business_service: '业务服务',
  application: '应用系统',
  app_instance: '应用实例',
  database: '数据库',
  middleware: '中间件',
  'server.vm': 'vm',
  'server.physical': 'srv',
  rack: '机柜',
  dc_room: '机房',
  'network.switch': 'sw',
  'network.router': 'rt',
  'network.firewall': 'fw',
  storage: 'stor',
  power: 'ups',
  security_device: 'sec',
};

async function seedDirectory(db: Db): Promise<{ orgId: number; actors: CmdbActors }> {
  const hash = await hashPassword('Bench-Passw0rd!');
  const provider = await insertOrganization(db, { name: '运维服务商', code: 'PROVIDER', kind: 'provider' });
  const customer = await insertOrganization(db, { name: '某银行数据中心', code: 'BANK', kind: 'customer' });
  const agentRow = await insertUser(db, { orgId: provider.id, username: 'bench_agent', displayName: '服务台坐席', passwordHash: hash, roles: ['agent'], mustChangePassword: false, email: null });
  const custRow = await insertUser(db, { orgId: customer.id, username: 'bench_customer', displayName: '客户运维', passwordHash: hash, roles: ['customer'], mustChangePassword: false, email: null });
  const actor = (u: typeof agentRow, kind: 'provider' | 'customer') =>
    actorFromPrincipal(
      { user_id: u.id, username: u.username, display_name: u.displayName, org_id: u.orgId, org_kind: kind, roles: u.roles as string[], locale: 'zh-CN', must_change_password: false },
      { via: 'session' },
    );
  return { orgId: customer.id, actors: { agent: actor(agentRow, 'provider'), customer: actor(custRow, 'customer') } };
}

const IMPORTANCE: Record<string, readonly (readonly ['core' | 'important' | 'normal', number])[]> = {
  business_service: [
    ['core', 3],
    ['important', 4],
    ['normal', 3],
  ],
  default: [
    ['core', 1],
    ['important', 3],
    ['normal', 6],
  ],
};

/** `database` must be migrated and empty. */
export async function seedCmdb(
  database: Database,
  n: number,
  m: number,
  migrateMs: number,
  log: (msg: string) => void,
): Promise<{ seed: CmdbSeedResult; actors: CmdbActors; ids: CmdbIds }> {
  const db = database.db;
  await ensureBuiltinClasses(db);
  await ensureBuiltinRelationTypes(db);
  const { orgId, actors } = await seedDirectory(db);
  const classId = new Map((await rows<{ id: number; key: string }>(db, sql`SELECT id, key FROM ci_classes`)).map((r) => [r.key, Number(r.id)]));
  const typeId = new Map((await rows<{ id: number; key: string }>(db, sql`SELECT id, key FROM ci_relation_types`)).map((r) => [r.key, Number(r.id)]));
  const cls = (k: string) => {
    const v = classId.get(k);
    if (v === undefined) throw new Error(`no CI class ${k}`);
    return v;
  };
  const typ = (k: string) => {
    const v = typeId.get(k);
    if (v === undefined) throw new Error(`no relation type ${k}`);
    return v;
  };
  const [existing] = await rows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM ci_items`);
  if (Number(existing?.n ?? 0) !== 0) throw new Error('ci_items is not empty');

  const rng = createRng(20261123);
  // ---- CIs: ids 1..n assigned here, in class order ----
  const counts = new Map<string, number>();
  let used = 0;
  for (const [k, share] of SHARES) {
    const c = Math.max(k === 'dc_room' ? 2 : 1, Math.round(n * share));
    counts.set(k, c);
    used += c;
  }
  counts.set('server.vm', Math.max(1, n - used));
  const byClass = new Map<string, number[]>();
  let nextId = 1;
  const t0 = performance.now();
  const batch = { id: [] as number[], class_id: [] as number[], name: [] as string[], importance: [] as string[], status: [] as string[] };
  const flushCis = async () => {
    if (!batch.id.length) return;
    await db.execute(sql`INSERT INTO ci_items (id, class_id, name, org_id, importance, status)
      SELECT u.id, u.class_id, u.name, ${orgId}, u.importance, u.status
      FROM unnest(${sql.param(batch.id)}::bigint[], ${sql.param(batch.class_id)}::bigint[], ${sql.param(batch.name)}::text[],
        ${sql.param(batch.importance)}::text[], ${sql.param(batch.status)}::text[]) AS u(id, class_id, name, importance, status)`);
    for (const k of Object.keys(batch) as (keyof typeof batch)[]) batch[k] = [];
  };
  for (const [k, c] of counts) {
    const ids: number[] = [];
    const imp = IMPORTANCE[k] ?? IMPORTANCE.default ?? [];
    for (let i = 0; i < c; i++) {
      const id = nextId++;
      ids.push(id);
      batch.id.push(id);
      batch.class_id.push(cls(k));
      batch.name.push(`${NAMES[k] ?? k}-${String(i + 1).padStart(6, '0')}`);
      batch.importance.push(rng.weighted(imp));
      batch.status.push(rng.chance(0.97) ? 'in_use' : 'maintenance');
      if (batch.id.length >= 10_000) await flushCis();
    }
    byClass.set(k, ids);
  }
  await flushCis();
  await db.execute(sql`SELECT setval(pg_get_serial_sequence('ci_items', 'id'), ${nextId - 1})`);
  const total = nextId - 1;
  log(`  ${total} CIs inserted in ${Math.round(performance.now() - t0)} ms`);

  // ---- relations ----
  const of = (k: string) => byClass.get(k) ?? [];
  const bs = of('business_service');
  const apps = of('application');
  const insts = of('app_instance');
  const dbs = of('database');
  const mws = of('middleware');
  const vms = of('server.vm');
  const phys = of('server.physical');
  const racks = of('rack');
  const rooms = of('dc_room');
  const switches = of('network.switch');
  const edge = [...of('network.router'), ...of('network.firewall')];
  const storage = of('storage');
  const power = of('power');
  const sec = of('security_device');
  // Switch layers: 2 % core, 18 % aggregation, the rest access.
  const core = switches.slice(0, Math.max(2, Math.round(switches.length * 0.02)));
  const agg = switches.slice(core.length, core.length + Math.max(2, Math.round(switches.length * 0.18)));
  const access = switches.slice(core.length + agg.length);
  const accessOrAgg = access.length ? access : agg;

  const seen = new Set<string>();
  const rel = { type_id: [] as number[], from: [] as number[], to: [] as number[] };
  const perType = new Map<string, number>();
  let cyclePairs = 0;
  const add = (type: string, from: number | undefined, to: number | undefined): boolean => {
    if (from === undefined || to === undefined || from === to) return false;
    const t = typ(type);
    const key = `${t}:${from}:${to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    rel.type_id.push(t);
    rel.from.push(from);
    rel.to.push(to);
    perType.set(type, (perType.get(type) ?? 0) + 1);
    return true;
  };
  const pick = (r: Rng, xs: number[]) => (xs.length ? r.pick(xs) : undefined);
  // Locality: a CI's host/parent is drawn near its own position, so clusters form (an application's
  // instances share VMs on a few physical servers, a rack's servers share access switches).
  const near = (r: Rng, xs: number[], i: number, count: number, spread = 0.02) => {
    if (!xs.length) return undefined;
    const base = Math.floor((i / Math.max(1, count)) * xs.length);
    const w = Math.max(1, Math.round(xs.length * spread));
    return xs[Math.min(xs.length - 1, Math.max(0, base + r.int(-w, w)))];
  };

  // Layer: business service depends_on applications (each application serves 1-2 services).
  apps.forEach((a, i) => {
    add('depends_on', near(rng, bs, i, apps.length, 0.01), a);
    if (rng.chance(0.3)) add('depends_on', pick(rng, bs), a);
  });
  // Application depends_on its instances (8 per application on average), databases and middleware.
  insts.forEach((x, i) => add('depends_on', near(rng, apps, i, insts.length, 0.002), x));
  dbs.forEach((x, i) => add('depends_on', near(rng, apps, i, dbs.length, 0.005), x));
  mws.forEach((x, i) => add('depends_on', near(rng, apps, i, mws.length, 0.005), x));
  // Software runs_on VMs (10 % on physical servers), VMs on physical servers.
  for (const [list, physShare] of [
    [insts, 0.1],
    [dbs, 0.3],
    [mws, 0.1],
  ] as const) {
    list.forEach((x, i) => add('runs_on', x, rng.chance(physShare) ? near(rng, phys, i, list.length) : near(rng, vms, i, list.length)));
  }
  vms.forEach((v, i) => add('runs_on', v, near(rng, phys, i, vms.length, 0.005)));
  // Racks contain the devices; machine rooms contain racks and power.
  for (const list of [phys, storage, switches, edge, sec, power]) list.forEach((x, i) => add('contains', near(rng, racks, i, list.length, 0.005), x));
  racks.forEach((r, i) => add('contains', near(rng, rooms, i, racks.length, 0.1), r));
  power.forEach((p, i) => add('contains', near(rng, rooms, i, power.length, 0.1), p));
  // Network: servers and storage uplink to access switches, access to aggregation, aggregation to core, core to the edge.
  phys.forEach((x, i) => add('connects_to', x, near(rng, accessOrAgg, i, phys.length, 0.005)));
  storage.forEach((x, i) => add('connects_to', x, near(rng, accessOrAgg, i, storage.length, 0.01)));
  sec.forEach((x) => add('connects_to', x, pick(rng, core)));
  access.forEach((x, i) => {
    add('connects_to', x, near(rng, agg, i, access.length, 0.02));
    add('connects_to', x, near(rng, agg, i, access.length, 0.02));
  });
  agg.forEach((x) => {
    add('connects_to', x, pick(rng, core));
    add('connects_to', x, pick(rng, core));
  });
  core.forEach((x) => add('connects_to', x, pick(rng, edge.length ? edge : core)));
  // Cycles: the core switches meshed in mutual pairs, and ~1 % of applications depending on each other.
  for (let i = 0; i + 1 < core.length; i += 2) if (add('connects_to', core[i], core[i + 1]) && add('connects_to', core[i + 1], core[i])) cyclePairs++;
  const mutual = Math.max(1, Math.round(apps.length * 0.01));
  for (let k = 0; k < mutual; k++) {
    const a = pick(rng, apps);
    const b = pick(rng, apps);
    if (add('depends_on', a, b) && add('depends_on', b, a)) cyclePairs++;
  }
  const layered = rel.from.length;

  // Fill the rest of M with cross links.
  const fill: (readonly [() => boolean, number])[] = [
    // An app instance uses shared databases / middleware (of nearby applications).
    [() => { const i = rng.int(0, insts.length - 1); return add('depends_on', insts[i], rng.chance(0.5) ? near(rng, dbs, i, insts.length, 0.01) : near(rng, mws, i, insts.length, 0.01)); }, 40],
    // An application uses a further database / middleware.
    [() => { const i = rng.int(0, apps.length - 1); return add('depends_on', apps[i], rng.chance(0.5) ? near(rng, dbs, i, apps.length, 0.02) : near(rng, mws, i, apps.length, 0.02)); }, 12],
    // Application-to-application calls, mostly between neighbouring applications (one business domain), some across.
    [() => { const i = rng.int(0, apps.length - 1); return add('depends_on', apps[i], rng.chance(0.8) ? near(rng, apps, i, apps.length, 0.005) : pick(rng, apps)); }, 2],
    // A service depends directly on a shared middleware (e.g. its gateway).
    [() => { const i = rng.int(0, bs.length - 1); return add('depends_on', bs[i], near(rng, mws, i, bs.length, 0.05)); }, 1],
    // Storage backs up databases and servers.
    [() => add('backs_up', pick(rng, storage), rng.chance(0.5) ? pick(rng, dbs) : pick(rng, phys)), 10],
    // Database / middleware / instance software installed_on a host (its own VM's physical host or another).
    [() => {
      const list = rng.chance(0.5) ? insts : rng.chance(0.5) ? dbs : mws;
      const i = rng.int(0, list.length - 1);
      return add('installed_on', list[i], rng.chance(0.7) ? near(rng, vms, i, list.length) : near(rng, phys, i, list.length));
    }, 16],
    // A second uplink for servers and storage.
    [() => { const i = rng.int(0, phys.length - 1); return add('connects_to', phys[i], near(rng, accessOrAgg, i, phys.length, 0.01)); }, 14],
    // A VM's storage network.
    [() => { const i = rng.int(0, vms.length - 1); return add('connects_to', vms[i], near(rng, accessOrAgg, i, vms.length, 0.01)); }, 5],
  ];
  let misses = 0;
  while (rel.from.length < m && misses < 1_000_000) {
    if (!rng.weighted(fill)()) misses++;
  }
  log(`  ${layered} layered relations, ${rel.from.length - layered} cross links generated`);

  const t1 = performance.now();
  const B = 20_000;
  for (let i = 0; i < rel.from.length; i += B) {
    await db.execute(sql`INSERT INTO ci_relations (type_id, from_ci_id, to_ci_id)
      SELECT * FROM unnest(${sql.param(rel.type_id.slice(i, i + B))}::bigint[], ${sql.param(rel.from.slice(i, i + B))}::bigint[], ${sql.param(rel.to.slice(i, i + B))}::bigint[])`);
  }
  const loadMs = performance.now() - t0;
  log(`  ${rel.from.length} relations inserted in ${Math.round(performance.now() - t1)} ms`);
  const t2 = performance.now();
  await db.execute(sql`VACUUM ANALYZE`);
  const finishMs = performance.now() - t2;
  const size = await rows<{ b: number | string }>(db, sql`SELECT pg_database_size(current_database()) AS b`).catch(() => []);
  const bytes = Number(size[0]?.b ?? Number.NaN);
  return {
    actors,
    seed: {
      cis: total,
      relations: rel.from.length,
      classes: [...counts].map(([key, count]) => ({ key, count })),
      relationsByType: [...perType].map(([key, count]) => ({ key, count })),
      cyclePairs,
      orgId,
      migrateMs,
      loadMs,
      finishMs,
      databaseSizeMb: Number.isFinite(bytes) ? Math.round(bytes / 1048576) : null,
    },
    ids: { businessServices: bs, physicalServers: phys, racks, coreSwitches: core },
  };
}
