import { sql } from 'drizzle-orm';
import type { CiAttributeDef } from '@tianshu/contracts';
import type { Db } from '../../platform/db/db.ts';
import * as qs from './cmdb.queries.ts';

type A = Partial<CiAttributeDef> & Pick<CiAttributeDef, 'key' | 'label' | 'type'>;
type Builtin = { key: string; name: string; parent?: string; namingRule?: string; description?: string; attributes: A[] };

const s = (key: string, label: string, more: Partial<CiAttributeDef> = {}): A => ({ key, label, type: 'string', ...more });
const n = (key: string, label: string, more: Partial<CiAttributeDef> = {}): A => ({ key, label, type: 'number', ...more });
const d = (key: string, label: string): A => ({ key, label, type: 'date' });
const ip = (key: string, label: string): A => ({ key, label, type: 'ip' });
const e = (key: string, label: string, enumValues: string[], more: Partial<CiAttributeDef> = {}): A => ({ key, label, type: 'enum', enumValues, ...more });
const ref = (key: string, label: string, refClassKey: string, more: Partial<CiAttributeDef> = {}): A => ({ key, label, type: 'reference', refClassKey, ...more });
const hw = [s('vendor', '厂商'), s('model', '型号'), d('purchase_date', '采购日期'), d('warranty_until', '维保到期'), s('maintainer', '维保单位')];

/** The classes an ops team needs on day one. Parents come before their children. */
export const BUILTIN_CLASSES: readonly Builtin[] = [
  {
    key: 'business_service',
    name: '业务服务',
    description: '面向用户的业务服务，如网上银行、门户网站',
    attributes: [e('service_level', '服务等级', ['金牌', '银牌', '铜牌']), s('business_owner', '业务负责人'), s('service_hours', '服务时间')],
  },
  {
    key: 'application',
    name: '应用系统',
    attributes: [ref('business_service', '所属业务服务', 'business_service'), s('version', '版本'), s('dev_team', '开发团队'), s('vendor', '开发厂商'), e('security_level', '等保级别', ['一级', '二级', '三级', '四级'])],
  },
  {
    key: 'app_instance',
    name: '应用实例',
    attributes: [ref('application', '所属应用', 'application', { required: true }), e('environment', '环境', ['生产', '预发', '测试', '开发'], { required: true }), ref('host', '运行主机', 'server'), n('port', '端口'), s('deploy_path', '部署路径')],
  },
  {
    key: 'database',
    name: '数据库',
    attributes: [
      e('db_type', '数据库类型', ['MySQL', 'PostgreSQL', 'Oracle', 'SQL Server', '达梦 DM', '人大金仓 KingbaseES', 'OceanBase', 'TiDB', 'openGauss', 'GaussDB', 'Redis', 'MongoDB', '其他'], { required: true }),
      s('db_version', '版本'),
      s('instance_name', '实例名'),
      n('port', '端口'),
      ref('host', '运行主机', 'server'),
      e('deploy_mode', '部署方式', ['单机', '主从', '集群', '云数据库']),
    ],
  },
  {
    key: 'middleware',
    name: '中间件',
    attributes: [
      e('mw_type', '中间件类型', ['Nginx', 'Tomcat', 'WebLogic', 'TongWeb', 'BES', 'Kafka', 'RabbitMQ', 'RocketMQ', 'Elasticsearch', 'ZooKeeper', 'Nacos', '其他'], { required: true }),
      s('mw_version', '版本'),
      n('port', '端口'),
      ref('host', '运行主机', 'server'),
    ],
  },
  {
    key: 'server',
    name: '服务器',
    namingRule: '{hostname}',
    attributes: [s('os', '操作系统'), s('os_version', '系统版本'), n('cpu_cores', 'CPU 核数'), n('memory_gb', '内存（GB）'), n('disk_gb', '磁盘（GB）')],
  },
  {
    key: 'server.physical',
    name: '物理服务器',
    parent: 'server',
    attributes: [...hw, ref('rack', '所在机柜', 'rack'), n('u_position', '起始 U 位'), n('u_height', '占用 U 数'), ip('mgmt_ip', '带外管理 IP')],
  },
  {
    key: 'server.vm',
    name: '虚拟机',
    parent: 'server',
    attributes: [e('platform', '虚拟化平台', ['VMware', 'KVM', 'Hyper-V', 'OpenStack', 'ZStack', '华为 FusionCompute', '阿里云', '腾讯云', '华为云', '天翼云', '其他']), ref('host', '宿主机', 'server.physical')],
  },
  {
    key: 'storage',
    name: '存储设备',
    attributes: [...hw, e('storage_type', '存储类型', ['SAN', 'NAS', '分布式存储', '对象存储', '磁带库']), n('capacity_tb', '容量（TB）'), ref('rack', '所在机柜', 'rack'), ip('mgmt_ip', '管理 IP')],
  },
  {
    key: 'network',
    name: '网络设备',
    namingRule: '{hostname}',
    attributes: [...hw, ip('mgmt_ip', '管理 IP'), s('firmware', '软件版本'), ref('rack', '所在机柜', 'rack')],
  },
  { key: 'network.switch', name: '交换机', parent: 'network', attributes: [e('layer', '层级', ['接入', '汇聚', '核心']), n('port_count', '端口数')] },
  { key: 'network.router', name: '路由器', parent: 'network', attributes: [s('uplink', '上联线路')] },
  { key: 'network.firewall', name: '防火墙', parent: 'network', attributes: [e('ha_mode', '高可用模式', ['单机', '主备', '主主'])] },
  {
    key: 'security_device',
    name: '安全设备',
    attributes: [...hw, e('device_type', '设备类型', ['入侵检测/防御', 'WAF', '堡垒机', '漏洞扫描', '日志审计', '数据库审计', '防病毒网关', 'VPN', '其他'], { required: true }), ip('mgmt_ip', '管理 IP'), ref('rack', '所在机柜', 'rack')],
  },
  { key: 'video', name: '视频监控', attributes: [...hw, ip('mgmt_ip', '管理 IP')] },
  { key: 'video.camera', name: '网络摄像机', parent: 'video', attributes: [e('camera_type', '类型', ['枪机', '球机', '半球', '其他']), s('channel_no', '通道号'), e('protocol', '接入协议', ['GB/T 28181', 'ONVIF', '私有协议'])] },
  { key: 'video.platform', name: '视频平台', parent: 'video', attributes: [n('channel_capacity', '接入路数'), n('retention_days', '录像保存天数')] },
  {
    key: 'power',
    name: 'UPS 与供配电',
    attributes: [...hw, e('power_type', '设备类型', ['UPS', '蓄电池组', '配电柜', 'PDU', '柴油发电机'], { required: true }), n('capacity_kva', '容量（kVA）'), d('battery_replaced', '电池更换日期'), ref('room', '所在机房', 'dc_room')],
  },
  { key: 'precision_ac', name: '精密空调', attributes: [...hw, n('cooling_kw', '制冷量（kW）'), ref('room', '所在机房', 'dc_room')] },
  {
    key: 'rack',
    name: '机柜',
    namingRule: '{attr.room_code}-{attr.rack_no}',
    attributes: [ref('room', '所在机房', 'dc_room'), s('room_code', '机房编号', { required: true }), s('rack_no', '机柜编号', { required: true }), n('u_count', 'U 数'), n('power_kw', '额定功率（kW）')],
  },
  {
    key: 'dc_room',
    name: '机房',
    attributes: [s('address', '地址'), s('floor', '楼层'), n('area_sqm', '面积（平方米）'), e('grade', '机房等级', ['A 级', 'B 级', 'C 级'])],
  },
  { key: 'office_device', name: '办公终端', attributes: [s('vendor', '厂商'), s('model', '型号'), s('user_name', '使用人'), s('department', '部门'), d('purchase_date', '采购日期')] },
  { key: 'office_device.pc', name: '办公电脑', parent: 'office_device', namingRule: '{assetTag}', attributes: [s('os', '操作系统'), s('mac', 'MAC 地址')] },
  { key: 'office_device.printer', name: '打印机', parent: 'office_device', attributes: [e('printer_type', '类型', ['激光', '喷墨', '针式', '多功能一体机'])] },
  {
    key: 'software_license',
    name: '软件许可',
    attributes: [s('product', '软件产品', { required: true }), s('vendor', '厂商'), e('license_type', '许可类型', ['永久', '订阅', '按核', '按用户', '按设备']), n('seats', '授权数量'), d('expires_at', '到期日期'), s('contract_no', '合同编号')],
  },
];

const full = (a: A): CiAttributeDef => ({ required: false, unique: false, indexed: false, ...a });

/**
 * Creates the missing built-in classes. Runs at boot on every instance: the advisory lock lets several
 * instances start on one empty database, and classes that exist (perhaps edited by an admin) are left alone.
 */
export async function ensureBuiltinClasses(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72910004)`);
    // The same lock as class edits, so an admin's edit and the boot never interleave.
    await qs.lockClassTree(tx);
    const existing = new Map((await qs.allClasses(tx)).map((c) => [c.key, c.id]));
    for (const b of BUILTIN_CLASSES) {
      if (existing.has(b.key)) continue;
      const parentId = b.parent ? existing.get(b.parent) : undefined;
      if (b.parent && parentId === undefined) continue;
      const row = await qs.insertClass(tx, {
        key: b.key,
        name: b.name,
        description: b.description ?? '',
        parentId: parentId ?? null,
        attributes: b.attributes.map(full),
        namingRule: b.namingRule ?? null,
        builtin: true,
      });
      existing.set(b.key, row.id);
    }
  });
}
