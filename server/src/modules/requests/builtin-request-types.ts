import { sql } from 'drizzle-orm';
import { formSchemaSchema, type FormFieldInput, type Label } from '@tianshu/contracts';
import type { Db } from '../../platform/db/db.ts';
import * as qs from './requests.queries.ts';

const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, 'en-US': en });
const o = (value: string, zh: string, en: string) => ({ value, label: L(zh, en) });
const help = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });

type Builtin = {
  key: string;
  name: Label;
  description: Label;
  icon: string;
  category: Label;
  tasks: string[];
  fields: FormFieldInput[];
};

const ACCOUNTS = L('账号与权限', 'Accounts and access');

/** The request types an ops team needs on day one. Fulfilment groups are left for the admin to set. */
export const BUILTIN_REQUEST_TYPES: readonly Builtin[] = [
  {
    key: 'account',
    name: L('账号开通', 'New account'),
    description: L('为新员工或外包人员开通业务系统账号', 'Create an account in a business system for a new employee or contractor'),
    icon: 'user-add',
    category: ACCOUNTS,
    tasks: ['创建账号并通知申请人'],
    fields: [
      {
        key: 'system',
        label: L('系统', 'System'),
        type: 'select',
        required: true,
        options: [o('mail', '企业邮箱', 'Corporate mail'), o('oa', 'OA 办公系统', 'OA'), o('erp', 'ERP', 'ERP'), o('other', '其他', 'Other')],
      },
      { key: 'other_system', label: L('其他系统名称', 'Other system'), type: 'text', required: true, max: 100, showIf: [{ field: 'system', op: 'eq', value: 'other' }] },
      { key: 'full_name', label: L('使用人姓名', 'Full name'), type: 'text', required: true, max: 64 },
      { key: 'employee_no', label: L('工号', 'Employee number'), type: 'text', max: 32 },
      { key: 'email', label: L('联系邮箱', 'Email'), type: 'email' },
      { key: 'start_date', label: L('启用日期', 'Start date'), type: 'date', required: true },
      { key: 'reason', label: L('申请说明', 'Reason'), type: 'textarea', max: 1000 },
    ],
  },
  {
    key: 'access',
    name: L('权限申请', 'Access request'),
    description: L('申请业务系统或数据库的访问权限', 'Request access to a business system or database'),
    icon: 'key',
    category: ACCOUNTS,
    tasks: ['配置权限并验证'],
    fields: [
      { key: 'target', label: L('系统或资源', 'System or resource'), type: 'text', required: true, max: 200 },
      { key: 'ci', label: L('相关配置项', 'Related CI'), type: 'ci', help: help('可选：从 CMDB 选择对应的系统或数据库', 'Optional: the system or database in the CMDB') },
      {
        key: 'level',
        label: L('权限级别', 'Access level'),
        type: 'select',
        required: true,
        options: [o('read', '只读', 'Read only'), o('write', '读写', 'Read and write'), o('admin', '管理员', 'Administrator')],
        default: 'read',
      },
      { key: 'admin_reason', label: L('管理员权限理由', 'Why administrator access'), type: 'textarea', required: true, min: 10, max: 1000, showIf: [{ field: 'level', op: 'eq', value: 'admin' }] },
      { key: 'valid_until', label: L('有效期至', 'Valid until'), type: 'date' },
      { key: 'reason', label: L('申请理由', 'Reason'), type: 'textarea', required: true, max: 1000 },
    ],
  },
  {
    key: 'equipment',
    name: L('设备领用', 'Equipment'),
    description: L('领用笔记本、显示器、外设等办公设备', 'Request a laptop, monitor or other office equipment'),
    icon: 'laptop',
    category: L('设备与硬件', 'Devices'),
    tasks: ['准备设备并交付'],
    fields: [
      {
        key: 'device',
        label: L('设备类型', 'Device'),
        type: 'select',
        required: true,
        options: [o('laptop', '笔记本电脑', 'Laptop'), o('desktop', '台式机', 'Desktop'), o('monitor', '显示器', 'Monitor'), o('phone', '座机', 'Desk phone'), o('other', '其他', 'Other')],
      },
      { key: 'quantity', label: L('数量', 'Quantity'), type: 'number', required: true, min: 1, max: 20, default: 1 },
      {
        key: 'accessories',
        label: L('配件', 'Accessories'),
        type: 'multiselect',
        options: [o('mouse', '鼠标', 'Mouse'), o('keyboard', '键盘', 'Keyboard'), o('headset', '耳机', 'Headset'), o('dock', '扩展坞', 'Dock')],
        showIf: [{ field: 'device', op: 'in', value: ['laptop', 'desktop'] }],
      },
      { key: 'location', label: L('交付地点', 'Delivery location'), type: 'text', required: true, max: 200 },
      { key: 'needed_by', label: L('需要日期', 'Needed by'), type: 'date' },
      { key: 'reason', label: L('用途说明', 'Purpose'), type: 'textarea', max: 1000 },
    ],
  },
  {
    key: 'vpn',
    name: L('VPN 申请', 'VPN access'),
    description: L('申请远程接入公司网络的 VPN 账号', 'Request a VPN account for remote access to the company network'),
    icon: 'global',
    category: L('网络', 'Network'),
    tasks: ['开通 VPN 账号并下发配置'],
    fields: [
      { key: 'reason', label: L('申请原因', 'Reason'), type: 'textarea', required: true, min: 4, max: 1000 },
      { key: 'start_date', label: L('开始日期', 'Start date'), type: 'date', required: true },
      { key: 'end_date', label: L('结束日期', 'End date'), type: 'date', required: true },
      {
        key: 'access_scope',
        label: L('访问范围', 'Access scope'),
        type: 'select',
        required: true,
        options: [o('office', '办公网', 'Office network'), o('dev', '研发网', 'Development network'), o('prod', '生产网', 'Production network')],
        default: 'office',
      },
      {
        key: 'prod_systems',
        label: L('需访问的生产系统', 'Production systems needed'),
        type: 'textarea',
        required: true,
        max: 1000,
        help: help('生产网访问需列明系统，并由主管审批', 'List the systems; production access needs manager approval'),
        showIf: [{ field: 'access_scope', op: 'eq', value: 'prod' }],
      },
      { key: 'client_ip', label: L('固定出口 IP', 'Fixed client IP'), type: 'ip', help: help('可选：用于白名单', 'Optional: for the allow list') },
    ],
  },
];

/**
 * Creates the missing built-in request types, each with form version 1. Runs at boot on every
 * instance under an advisory lock; types that exist (perhaps edited by an admin) are left alone.
 */
export async function ensureBuiltinRequestTypes(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72910030)`);
    for (const b of BUILTIN_REQUEST_TYPES) {
      if (await qs.typeKeyTaken(tx, b.key)) continue;
      const t = await qs.insertType(tx, {
        key: b.key,
        nameZh: b.name['zh-CN'],
        nameEn: b.name['en-US'],
        descriptionZh: b.description['zh-CN'],
        descriptionEn: b.description['en-US'],
        icon: b.icon,
        categoryZh: b.category['zh-CN'],
        categoryEn: b.category['en-US'],
        orgIds: null,
        workflowKey: 'request',
        taskTemplates: b.tasks.map((title, i) => ({ title, groupId: null, order: i })),
        builtIn: true,
      });
      const f = await qs.insertForm(tx, { typeId: t.id, version: 1, schema: formSchemaSchema.parse({ fields: b.fields }), createdBy: null });
      await qs.updateType(tx, t.id, { currentFormId: f.id });
    }
  });
}
