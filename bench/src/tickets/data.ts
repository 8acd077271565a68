import type { Rng } from '../lib/random.ts';

/** Word lists for realistic Chinese incident titles and descriptions. */
export const LOCATIONS = [
  '北京总部',
  '上海分公司',
  '深圳机房',
  '广州办事处',
  '成都研发中心',
  '杭州数据中心',
  '武汉仓库',
  '南京营业部',
  '西安分部',
  '财务部',
  '人力资源部',
  '三楼会议室',
] as const;

type Thing = { name: string; category: string; service: string };

export const THINGS: readonly Thing[] = [
  { name: '服务器', category: '硬件', service: '数据中心' },
  { name: '数据库', category: '数据库', service: '核心业务系统' },
  { name: 'VPN', category: '网络', service: '远程办公' },
  { name: '打印机', category: '硬件', service: '桌面运维' },
  { name: '交换机', category: '网络', service: '办公网络' },
  { name: '路由器', category: '网络', service: '办公网络' },
  { name: '防火墙', category: '安全', service: '网络安全' },
  { name: '邮件系统', category: '软件', service: '邮件服务' },
  { name: 'OA系统', category: '软件', service: 'OA' },
  { name: 'ERP系统', category: '软件', service: 'ERP' },
  { name: '笔记本电脑', category: '硬件', service: '桌面运维' },
  { name: '无线网络', category: '网络', service: '办公网络' },
  { name: '存储阵列', category: '硬件', service: '数据中心' },
  { name: '虚拟机', category: '软件', service: '云平台' },
  { name: '负载均衡', category: '网络', service: '数据中心' },
  { name: '域控制器', category: '账号权限', service: '身份认证' },
  { name: '监控平台', category: '软件', service: '运维平台' },
  { name: '备份系统', category: '软件', service: '数据中心' },
];

export const SYMPTOMS = [
  '故障',
  '宕机',
  '无法登录',
  '磁盘空间不足',
  '证书过期',
  '响应缓慢',
  '连接超时',
  '网络中断',
  'CPU使用率过高',
  '内存不足',
  '频繁重启',
  '数据同步失败',
  '告警',
  '密码过期',
  '权限不足',
  '无法访问',
] as const;

const PEOPLE = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周婷', '吴强', '徐丽', '孙浩'];
const IMPACTS = ['个别用户', '整个部门', '全部门店', '对外业务', '夜间批处理', '部分分支机构'];
const DETAILS = [
  '已重启一次，问题依旧。',
  '监控平台触发告警，持续超过十分钟。',
  '用户反馈今天早上开始出现。',
  '日志中出现大量错误信息，错误代码 0x80070005。',
  '影响月底结账，请优先处理。',
  '怀疑与昨晚的变更有关。',
  '',
];

export type Org = { id: number; code: string; name: string; weight: number; requesterIds: number[] };

/** A generated incident: the API request fields plus what only bulk loading sets. */
export type IncidentDraft = {
  title: string;
  description: string;
  category: string;
  service: string;
  impact: number;
  urgency: number;
  channel: string;
  callerName: string | null;
  callerPhone: string | null;
};

export function draftIncident(rng: Rng): IncidentDraft {
  const loc = rng.pick(LOCATIONS);
  const thing = rng.pick(THINGS);
  const symptom = rng.pick(SYMPTOMS);
  const shape = rng.int(0, 3);
  const title =
    shape === 0
      ? `${loc}${thing.name}${symptom}`
      : shape === 1
        ? `${thing.name}${symptom}`
        : shape === 2
          ? `【${loc}】${thing.name}${symptom}，请尽快处理`
          : `${loc}${thing.name}${symptom}（${rng.pick(IMPACTS)}受影响）`;
  const description = [
    `${loc}的${thing.name}${symptom}，影响${rng.pick(IMPACTS)}。`,
    `联系人：${rng.pick(PEOPLE)}，分机 ${rng.int(1000, 8999)}。`,
    `IP 10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}。`,
    rng.pick(DETAILS),
  ].join('');
  const channel = rng.weighted([
    ['phone', 35],
    ['web', 30],
    ['email', 15],
    ['monitoring', 15],
    ['api', 5],
  ] as const);
  const phone = channel === 'phone';
  return {
    title,
    description,
    category: thing.category,
    service: thing.service,
    impact: rng.weighted([
      [1, 10],
      [2, 30],
      [3, 60],
    ] as const),
    urgency: rng.weighted([
      [1, 15],
      [2, 35],
      [3, 50],
    ] as const),
    channel,
    callerName: phone ? rng.pick(PEOPLE) : null,
    callerPhone: phone ? `1${rng.int(3, 9)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` : null,
  };
}

/** ITIL default matrix, as the server's priority.ts: matrix[impact-1][urgency-1]. */
const MATRIX = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 4],
];

export function priorityOf(impact: number, urgency: number): number {
  return MATRIX[impact - 1]?.[urgency - 1] ?? 4;
}

export const CUSTOMER_ORGS = [
  { code: 'HXBANK', name: '华信银行', weight: 30 },
  { code: 'DFWL', name: '东方航空物流', weight: 20 },
  { code: 'JNZZ', name: '江南制造', weight: 15 },
  { code: 'LHZQ', name: '蓝海证券', weight: 10 },
  { code: 'BCYY', name: '北辰医院', weight: 10 },
  { code: 'TFJY', name: '天府教育集团', weight: 7 },
  { code: 'CJNY', name: '长江能源', weight: 5 },
  { code: 'NFCM', name: '南方传媒', weight: 3 },
] as const;

export const ENGINEER_NAMES = ['张伟', '王芳', '李娜', '刘洋'] as const;

/** The state of a loaded incident depends on its age: old ones are mostly closed. */
export function stateForAge(rng: Rng, ageDays: number): string {
  if (ageDays > 14) {
    return rng.weighted([
      ['closed', 91],
      ['cancelled', 6],
      ['in_progress', 1.5],
      ['pending', 1.5],
    ] as const);
  }
  return rng.weighted([
    ['new', 10],
    ['assigned', 15],
    ['in_progress', 25],
    ['pending', 10],
    [ageDays <= 7 ? 'resolved' : 'closed', 20],
    ['closed', 15],
    ['cancelled', 5],
  ] as const);
}

export const RESOLUTION_CODES = ['fixed', 'workaround', 'config_change', 'hardware_replaced', 'user_error', 'no_fault_found'] as const;
