import { sql } from 'drizzle-orm';
import type { CiRelationPair } from '@tianshu/contracts';
import type { Db } from '../../platform/db/db.ts';
import { ciRelationTypes } from './cmdb-relations.tables.ts';

type Builtin = { key: string; name: string; reverseName: string; description: string; dependentEnd: 'from' | 'to'; allowedPairs: CiRelationPair[] };

const pairs = (from: string[], to: string[]): CiRelationPair[] => from.flatMap((f) => to.map((t) => ({ from: f, to: t })));

const software = ['application', 'app_instance', 'database', 'middleware', 'video.platform'];
const devices = ['server', 'storage', 'network', 'security_device', 'video', 'power'];
const rackable = ['server.physical', 'storage', 'network', 'security_device', 'video', 'power'];

/**
 * The relation types of a fresh CMDB. Direction: in "A <type> B", `dependentEnd` 'from' means A depends on
 * B (B failing impacts A); 'to' means B depends on A (a rack failing impacts the servers it contains; a
 * backup system failing leaves what it backs up unprotected).
 */
export const BUILTIN_RELATION_TYPES: readonly Builtin[] = [
  {
    key: 'runs_on',
    name: '运行于',
    reverseName: '承载',
    description: '软件运行在主机上，虚拟机运行在物理机上',
    dependentEnd: 'from',
    allowedPairs: [...pairs(software, ['server']), { from: 'server.vm', to: 'server.physical' }],
  },
  { key: 'depends_on', name: '依赖', reverseName: '被依赖', description: '任意配置项之间的依赖，如业务服务依赖应用系统', dependentEnd: 'from', allowedPairs: [] },
  {
    key: 'connects_to',
    name: '连接到',
    reverseName: '被连接',
    description: '设备的网络或线路连接（上联）',
    dependentEnd: 'from',
    allowedPairs: pairs(devices, ['network', 'security_device']),
  },
  {
    key: 'contains',
    name: '包含',
    reverseName: '属于',
    description: '机房包含机柜与动力设备，机柜包含设备；容器故障影响其中的配置项',
    dependentEnd: 'to',
    allowedPairs: [...pairs(['dc_room'], ['rack', 'power', 'precision_ac']), ...pairs(['rack'], rackable)],
  },
  {
    key: 'backs_up',
    name: '备份',
    reverseName: '由其备份',
    description: '备份系统备份数据库、主机或存储；备份系统故障使被备份对象失去保护',
    dependentEnd: 'to',
    allowedPairs: pairs(['storage', 'server', 'database'], ['database', 'server', 'storage', 'application']),
  },
  {
    key: 'installed_on',
    name: '安装于',
    reverseName: '安装了',
    description: '软件（许可）安装在主机或终端上',
    dependentEnd: 'from',
    allowedPairs: pairs(['software_license', 'middleware', 'database', 'app_instance'], ['server', 'office_device']),
  },
];

/**
 * Creates the missing built-in relation types. Runs at boot on every instance (advisory lock, so several
 * instances may start together); types that exist, perhaps edited by an admin, are left alone.
 */
export async function ensureBuiltinRelationTypes(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72910007)`);
    const existing = new Set((await tx.select({ key: ciRelationTypes.key }).from(ciRelationTypes)).map((r) => r.key));
    const missing = BUILTIN_RELATION_TYPES.filter((b) => !existing.has(b.key));
    if (missing.length) await tx.insert(ciRelationTypes).values(missing.map((b) => ({ ...b, builtin: true })));
  });
}
