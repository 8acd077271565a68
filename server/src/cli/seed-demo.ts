import { sql } from 'drizzle-orm';
import type { IncidentAction, Role } from '@tianshu/contracts';
import { rows, type Db } from '../platform/db/db.ts';
import { actorFromPrincipal, type Actor } from '../platform/auth/actor.ts';
import { findPrincipal } from '../platform/auth/auth.queries.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { ensureFirstAdmin } from '../platform/bootstrap.ts';
import { ensurePresetCalendars } from '../modules/calendars/calendars.service.ts';
import { ensureBuiltinClasses } from '../modules/cmdb/builtin-classes.ts';
import { ensureBuiltinRelationTypes } from '../modules/cmdb/builtin-relation-types.ts';
import { ensureAuditDefaults } from '../modules/cmdb/cmdb-audits.service.ts';
import { seedDemoCmdb } from './seed-demo-cmdb.ts';
import { findProviderOrg, insertGroup, insertOrganization, insertUser, setGroupMembers, setGroupOrgs } from '../modules/directory/directory.queries.ts';
import { addComment, createTicket, transition } from '../modules/tickets/tickets.service.ts';
import { findPreset } from '../modules/calendars/calendars.queries.ts';
import { createDefinition } from '../modules/sla/sla.service.ts';
import { createService } from '../modules/services/services.service.ts';
import { createSlaRequestSchema } from '@tianshu/contracts';

export const DEMO_PASSWORD = 'Tianshu@2026';

const SYSTEMS = ['核心交换机', '财务系统', 'OA 系统', '邮件服务器', 'VPN 网关', '数据库服务器', '打印机', '门禁系统', '视频会议终端', '存储阵列', '防火墙', 'HIS 系统', '网银前置机', '监控平台', '域控服务器', '无线 AP'];
const SYMPTOMS = ['无法登录', '响应缓慢', '宕机', '磁盘空间不足', '证书过期', '端口闪断', '频繁告警', '数据同步失败', '打印卡纸', '无法访问', 'CPU 使用率过高', '内存泄漏', '备份任务失败', '时间不同步'];
const PLACES = ['总部三楼', '深圳分公司', '机房 A 区', '营业部', '门诊楼', '数据中心', '北京分行', '上海办事处'];
const CATEGORIES = ['网络', '服务器', '应用', '桌面终端', '安全', '存储'];

type DemoUser = { username: string; displayName: string; roles: Role[]; org: 'provider' | 'bank' | 'hospital' };
const DEMO_USERS: DemoUser[] = [
  { username: 'secadmin', displayName: '安全管理员', roles: ['security_admin'], org: 'provider' },
  { username: 'auditor', displayName: '审计管理员', roles: ['audit_admin'], org: 'provider' },
  { username: 'agent', displayName: '服务台-李娜', roles: ['agent'], org: 'provider' },
  { username: 'engineer', displayName: '工程师-王强', roles: ['engineer'], org: 'provider' },
  { username: 'engineer2', displayName: '工程师-赵敏', roles: ['engineer'], org: 'provider' },
  { username: 'manager', displayName: '运维经理-陈刚', roles: ['manager'], org: 'provider' },
  { username: 'bank.user', displayName: '银行-刘洋', roles: ['customer'], org: 'bank' },
  { username: 'hospital.user', displayName: '医院-周婷', roles: ['customer'], org: 'hospital' },
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function actorOf(db: Db, userId: number): Promise<Actor> {
  const p = await findPrincipal(db, userId);
  if (!p) throw new Error(`user ${userId} missing`);
  return actorFromPrincipal(p);
}

/** Demo data: two customers, users for every role, groups and ~200 incidents in varied states. */
export async function seedDemo(db: Db, opts: { incidents?: number; log?: (s: string) => void } = {}) {
  const log = opts.log ?? (() => undefined);
  const existing = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM organizations WHERE code = 'DEMO-BANK'`);
  if (Number(existing[0]?.n) > 0) {
    log('Demo data already present; nothing to do.');
    return null;
  }
  const admin = await ensureFirstAdmin(db, undefined);
  await ensurePresetCalendars(db);
  await ensureBuiltinClasses(db);
  await ensureBuiltinRelationTypes(db);
  await ensureAuditDefaults(db);
  const provider = await findProviderOrg(db);
  if (!provider) throw new Error('no provider organisation');
  const bank = await insertOrganization(db, { name: '示例银行股份有限公司', code: 'DEMO-BANK', kind: 'customer' });
  const hospital = await insertOrganization(db, { name: '示例市人民医院', code: 'DEMO-HOSP', kind: 'customer' });
  const orgIds = { provider: provider.id, bank: bank.id, hospital: hospital.id };
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids: Record<string, number> = {};
  for (const u of DEMO_USERS) {
    const row = await insertUser(db, { orgId: orgIds[u.org], username: u.username, displayName: u.displayName, passwordHash: hash, roles: u.roles, mustChangePassword: false });
    ids[u.username] = row.id;
  }
  const need = (name: string) => {
    const v = ids[name];
    if (v === undefined) throw new Error(`demo user ${name} missing`);
    return v;
  };
  const network = await insertGroup(db, { name: '网络组', description: '网络与安全设备', leadUserId: need('engineer') });
  const systems = await insertGroup(db, { name: '系统组', description: '服务器、数据库与应用', leadUserId: need('engineer2') });
  await setGroupMembers(db, network.id, [need('engineer'), need('manager')]);
  await setGroupMembers(db, systems.id, [need('engineer2'), need('engineer')]);
  await setGroupOrgs(db, network.id, [bank.id, hospital.id]);
  await setGroupOrgs(db, systems.id, [bank.id, hospital.id]);

  // Service levels: the bank's contract runs round the clock for P1/P2; the rest on office days.
  const allDay = await findPreset(db, '7x24');
  const office = await findPreset(db, 'cn-5x8');
  if (!allDay || !office) throw new Error('preset calendars missing');
  const [adminRow] = await rows<{ id: number }>(db, sql`SELECT id FROM users WHERE username = 'admin'`);
  const adminActor = await actorOf(db, Number(adminRow?.id));
  await createDefinition(
    db,
    adminActor,
    createSlaRequestSchema.parse({
      name: '银行 7x24 重大故障 SLA',
      kind: 'sla',
      description: '一级、二级故障全天候计时；一级故障不暂停，超时升级至运维经理。',
      rank: 10,
      rules: {
        calendarId: allDay.id,
        match: { types: ['incident'], priorities: [1, 2], orgIds: [bank.id] },
        targets: [
          { priority: 1, responseMinutes: 15, resolutionMinutes: 240, updateMinutes: 60 },
          { priority: 2, responseMinutes: 30, resolutionMinutes: 480 },
        ],
        noPausePriorities: [1],
        escalations: [
          { atPct: 75, metrics: ['resolution'], actions: [{ type: 'notify', to: ['group_lead'] }] },
          { atPct: 100, metrics: ['response', 'resolution'], actions: [{ type: 'notify', to: ['managers'] }] },
        ],
      },
    }),
  );
  await createDefinition(
    db,
    adminActor,
    createSlaRequestSchema.parse({
      name: '标准服务 SLA（工作日 5x8）',
      kind: 'sla',
      description: '按中国法定工作日计时，等待客户或供应商时暂停。',
      rules: {
        calendarId: office.id,
        match: { types: ['incident'], priorities: [3, 4] },
        targets: [
          { priority: 3, responseMinutes: 120, resolutionMinutes: 16 * 60 },
          { priority: 4, responseMinutes: 240, resolutionMinutes: 40 * 60 },
        ],
      },
    }),
  );
  await createDefinition(
    db,
    adminActor,
    createSlaRequestSchema.parse({
      name: '医院 7x24 SLA',
      kind: 'sla',
      rank: 20,
      rules: {
        calendarId: allDay.id,
        match: { types: ['incident'], priorities: [1, 2], orgIds: [hospital.id] },
        targets: [
          { priority: 1, responseMinutes: 30, resolutionMinutes: 240 },
          { priority: 2, responseMinutes: 60, resolutionMinutes: 480 },
        ],
      },
    }),
  );
  await createService(db, adminActor, { name: '网上银行', description: '个人与企业网银', orgId: bank.id, calendarId: allDay.id, budgetHoursPerYear: 20 });
  await createService(db, adminActor, { name: 'HIS 系统', description: '医院信息系统', orgId: hospital.id, calendarId: allDay.id, targetPct: 99.9 });
  await seedDemoCmdb(db, { admin: adminActor, manager: await actorOf(db, need('manager')) }, bank.id);

  const agent = await actorOf(db, need('agent'));
  const engineers = [await actorOf(db, need('engineer')), await actorOf(db, need('engineer2'))];
  const customers = { [bank.id]: await actorOf(db, need('bank.user')), [hospital.id]: await actorOf(db, need('hospital.user')) };
  const rand = rng(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const n = opts.incidents ?? 200;
  for (let i = 0; i < n; i++) {
    const orgId = rand() < 0.55 ? bank.id : hospital.id;
    const customer = customers[orgId];
    if (!customer) throw new Error('no customer');
    const system = pick(SYSTEMS);
    const title = `${pick(PLACES)}${system}${pick(SYMPTOMS)}`;
    const viaCustomer = rand() < 0.3;
    const creator = viaCustomer ? customer : agent;
    const phone = !viaCustomer && rand() < 0.5;
    const { row } = await createTicket(db, creator, {
      type: 'incident',
      title,
      description: `${system}出现异常：${title}。\n\n- 影响范围：${pick(['单个用户', '一个科室', '整个分行', '全院'])}\n- 发现方式：${pick(['用户报障', '监控告警', '巡检发现'])}`,
      orgId,
      impact: 1 + Math.floor(rand() * 3),
      urgency: 1 + Math.floor(rand() * 3),
      category: pick(CATEGORIES),
      service: system,
      requesterId: customer.userId,
      callerName: phone ? customer.displayName : null,
      callerPhone: phone ? `138${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null,
      channel: phone ? 'phone' : viaCustomer ? 'web' : pick(['email', 'monitoring', 'web'] as const),
      major: rand() < 0.03,
      customFields: {},
    });
    let t = row.t;
    const stage = rand();
    const eng = pick(engineers);
    const step = async (who: Actor, action: IncidentAction, extra: Record<string, unknown> = {}) => {
      const next = await transition(db, who, t.id, { action, version: t.version, ...extra });
      t = { ...t, version: next.version, state: next.state };
    };
    if (stage < 0.12) continue; // stays new
    if (stage < 0.2) {
      await step(agent, 'assign', { assignmentGroupId: eng === engineers[0] ? network.id : systems.id });
      continue;
    }
    await step(eng, 'take');
    if (rand() < 0.5) await addComment(db, eng, t.id, { body: '已远程登录排查，正在定位原因。', internal: true });
    if (stage < 0.35) continue; // in progress
    if (stage < 0.45) {
      await step(eng, 'pend', { pendingReason: pick(['customer', 'vendor', 'change'] as const) });
      continue;
    }
    if (stage < 0.5) {
      await step(agent, 'cancel', { comment: '重复报障，已合并处理。' });
      continue;
    }
    await addComment(db, eng, t.id, { body: '问题已定位，正在处理，请稍候。', internal: false });
    await step(eng, 'resolve', { resolutionCode: pick(['fixed', 'workaround', 'config_change', 'hardware_replaced'] as const), resolutionNotes: '已处理完毕，业务恢复正常，请确认。' });
    if (stage < 0.7) continue; // resolved, awaiting confirmation
    await step(customer, 'close');
  }
  return {
    admin,
    password: DEMO_PASSWORD,
    users: [{ username: 'admin', roles: ['system_admin'] }, ...DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles }))],
  };
}
