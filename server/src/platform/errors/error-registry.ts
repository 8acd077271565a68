import type { ErrorCode, Locale } from '@tianshu/contracts';

type ErrorDef = { status: number; 'zh-CN': string; 'en-US': string };

/**
 * The one registry of API errors: stable code -> HTTP status and message in both languages.
 * `{name}` placeholders are filled from the error's params. docs/errors.md must list every code.
 */
export const ERROR_REGISTRY: Record<ErrorCode, ErrorDef> = {
  VALIDATION_FAILED: { status: 400, 'zh-CN': '请求内容不合法：{summary}', 'en-US': 'The request is invalid: {summary}' },
  INVALID_JSON: { status: 400, 'zh-CN': '请求体不是合法的 JSON', 'en-US': 'The request body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大', 'en-US': 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型', 'en-US': 'Unsupported content type' },
  NOT_FOUND: { status: 404, 'zh-CN': '{object}不存在或无权访问', 'en-US': '{object} not found' },
  ROUTE_NOT_FOUND: { status: 404, 'zh-CN': '接口不存在', 'en-US': 'No such API route' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后重试', 'en-US': 'Internal server error, please try again later' },
  DB_UNAVAILABLE: { status: 503, 'zh-CN': '数据库暂时不可用', 'en-US': 'The database is unavailable' },
  AUTH_REQUIRED: { status: 401, 'zh-CN': '请先登录', 'en-US': 'Please sign in' },
  AUTH_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  AUTH_ACCOUNT_LOCKED: {
    status: 423,
    'zh-CN': '账号因多次登录失败已锁定，请在 {minutes} 分钟后重试或联系安全管理员',
    'en-US': 'The account is locked after repeated failed sign-ins; try again in {minutes} minutes or ask a security admin',
  },
  AUTH_ACCOUNT_DISABLED: { status: 403, 'zh-CN': '账号已停用', 'en-US': 'The account is disabled' },
  AUTH_SESSION_EXPIRED: { status: 401, 'zh-CN': '会话已过期，请重新登录', 'en-US': 'Your session has expired, please sign in again' },
  AUTH_CSRF_FAILED: { status: 403, 'zh-CN': '安全校验失败，请刷新页面后重试', 'en-US': 'Security check failed, reload the page and retry' },
  AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, 'zh-CN': '请先修改密码', 'en-US': 'You must change your password first' },
  AUTH_PASSWORD_POLICY: {
    status: 422,
    'zh-CN': '密码不符合策略：至少 {minLength} 位，且包含大写字母、小写字母、数字、符号中的至少 {minClasses} 类',
    'en-US': 'The password does not meet the policy: at least {minLength} characters with {minClasses} of upper case, lower case, digits and symbols',
  },
  AUTH_PASSWORD_REUSED: { status: 422, 'zh-CN': '新密码不能与当前密码相同', 'en-US': 'The new password must differ from the current one' },
  AUTH_TOKEN_INVALID: { status: 401, 'zh-CN': 'API 令牌无效、已过期或已吊销', 'en-US': 'The API token is invalid, expired or revoked' },
  FORBIDDEN: { status: 403, 'zh-CN': '没有权限执行此操作', 'en-US': 'You are not allowed to do this' },
  ROLE_SEPARATION: {
    status: 422,
    'zh-CN': '系统管理员、安全管理员、审计管理员三种角色必须由不同账号担任（三权分立）',
    'en-US': 'System, security and audit admin roles must be held by different accounts (separation of duties)',
  },
  USERNAME_TAKEN: { status: 409, 'zh-CN': '用户名已被使用', 'en-US': 'The username is already taken' },
  ORG_CODE_TAKEN: { status: 409, 'zh-CN': '组织编码已被使用', 'en-US': 'The organisation code is already taken' },
  GROUP_NAME_TAKEN: { status: 409, 'zh-CN': '支持组名称已被使用', 'en-US': 'The group name is already taken' },
  REFERENCE_INVALID: { status: 422, 'zh-CN': '引用的{object}不存在或不可用', 'en-US': 'The referenced {object} does not exist or cannot be used' },
  VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '数据已被他人修改（当前版本 {current}），请刷新后重试',
    'en-US': 'Someone else changed this record (now version {current}); reload and try again',
  },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    'zh-CN': '当前状态“{state}”下不能执行“{action}”',
    'en-US': 'Action "{action}" is not allowed in state "{state}"',
  },
  FIELD_REQUIRED: { status: 422, 'zh-CN': '缺少必填字段：{fields}', 'en-US': 'Required fields missing: {fields}' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    'zh-CN': '同一 Idempotency-Key 已用于内容不同的请求',
    'en-US': 'The Idempotency-Key was already used for a different request',
  },
  ATTACHMENT_TOO_LARGE: { status: 413, 'zh-CN': '附件超过大小上限 {limit}', 'en-US': 'The attachment exceeds the size limit of {limit}' },
  ATTACHMENT_TYPE_REJECTED: {
    status: 415,
    'zh-CN': '不允许上传此类型的文件（{type}）',
    'en-US': 'Files of this type are not allowed ({type})',
  },
  ATTACHMENT_MISSING: { status: 400, 'zh-CN': '请选择要上传的文件', 'en-US': 'No file was uploaded' },
  TOO_MANY_REQUESTS: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', 'en-US': 'Too many requests, slow down' },
  CALENDAR_TIMEZONE_INVALID: { status: 422, 'zh-CN': '未知的时区：{timeZone}', 'en-US': 'Unknown time zone: {timeZone}' },
  ICS_INVALID: { status: 422, 'zh-CN': '无法读取 iCalendar 文件：{reason}', 'en-US': 'The iCalendar file cannot be read: {reason}' },
  CALENDAR_NO_WORKING_TIME: {
    status: 422,
    'zh-CN': '工作日历至少需要一个工作时段',
    'en-US': 'A calendar needs at least one working period',
  },
  CALENDAR_DAY_OUT_OF_RANGE: {
    status: 422,
    'zh-CN': '日期 {date} 超出日历支持的范围（{from} 至 {to} 年）',
    'en-US': 'The date {date} is outside the calendar range ({from} to {to})',
  },
  SLA_NAME_TAKEN: { status: 409, 'zh-CN': 'SLA 名称已被使用', 'en-US': 'The SLA name is already taken' },
  SLA_TARGET_INVALID: {
    status: 422,
    'zh-CN': 'SLA 目标不合法：{reason}',
    'en-US': 'The SLA target is invalid: {reason}',
  },
  SLA_PAUSE_STATE_UNKNOWN: {
    status: 422,
    'zh-CN': '暂停条件“{state}”不是流程中的挂起原因（可用：{allowed}）',
    'en-US': 'Pause condition "{state}" is not a pending reason of the workflow (allowed: {allowed})',
  },
  SERVICE_NAME_TAKEN: { status: 409, 'zh-CN': '服务名称已被使用', 'en-US': 'The service name is already taken' },
  TIME_RANGE_INVALID: {
    status: 422,
    'zh-CN': '结束时间必须晚于开始时间',
    'en-US': 'The end must be after the start',
  },
  CHANNEL_TEST_FAILED: {
    status: 502,
    'zh-CN': '通知渠道测试失败：{reason}',
    'en-US': 'The notification channel test failed: {reason}',
  },
  CMDB_CLASS_KEY_TAKEN: { status: 409, 'zh-CN': '配置项类别标识“{key}”已被使用', 'en-US': 'The CI class key "{key}" is already taken' },
  CMDB_CLASS_CYCLE: {
    status: 422,
    'zh-CN': '不能把“{parent}”设为上级类别：会形成循环继承',
    'en-US': 'Making "{parent}" the parent class would create an inheritance cycle',
  },
  CMDB_CLASS_IN_USE: {
    status: 409,
    'zh-CN': '类别“{name}”下仍有 {cis} 个配置项和 {children} 个子类别，不能删除',
    'en-US': 'Class "{name}" still has {cis} CIs and {children} subclasses and cannot be deleted',
  },
  CMDB_CLASS_BUILTIN: { status: 409, 'zh-CN': '内置类别“{name}”不能删除', 'en-US': 'The built-in class "{name}" cannot be deleted' },
  CMDB_ATTRIBUTE_INVALID: {
    status: 422,
    'zh-CN': '属性“{key}”不合法：{reasonZh}',
    'en-US': 'Attribute "{key}" is invalid: {reasonEn}',
  },
  CMDB_IDENTIFIER_TAKEN: {
    status: 409,
    'zh-CN': '{identifierZh}“{value}”已被其他配置项使用',
    'en-US': 'The {identifier} "{value}" is already used by another CI',
  },
  CMDB_RELATION_TYPE_KEY_TAKEN: { status: 409, 'zh-CN': '关系类型标识“{key}”已被使用', 'en-US': 'The relation type key "{key}" is already taken' },
  CMDB_RELATION_NOT_ALLOWED: {
    status: 422,
    'zh-CN': '关系“{type}”不允许从“{fromClass}”指向“{toClass}”',
    'en-US': 'The relation "{type}" is not allowed from class "{fromClass}" to class "{toClass}"',
  },
  CMDB_RELATION_CROSS_ORG: { status: 422, 'zh-CN': '不能在不同组织的配置项之间建立关系', 'en-US': 'CIs of different organisations cannot be related' },
  CMDB_RELATION_SELF: { status: 422, 'zh-CN': '配置项不能与自身建立关系', 'en-US': 'A CI cannot be related to itself' },
  CMDB_RELATION_EXISTS: { status: 409, 'zh-CN': '这两个配置项之间已有该类型的关系', 'en-US': 'These two CIs already have a relation of this type' },
  CMDB_CLASS_KEY_UNKNOWN: { status: 422, 'zh-CN': '配置项类别“{key}”不存在', 'en-US': 'There is no CI class "{key}"' },
  CMDB_BASELINE_EMPTY: {
    status: 422,
    'zh-CN': '所选范围内没有可纳入基线的配置项（已退役的不计入）',
    'en-US': 'The selection contains no CIs to put in the baseline (retired CIs do not count)',
  },
  CMDB_BASELINE_CI_INVALID: {
    status: 422,
    'zh-CN': '配置项 {ids} 不存在、已退役或不属于基线所属组织',
    'en-US': 'CIs {ids} do not exist, are retired or do not belong to the baseline\'s organisation',
  },
  CMDB_AUDIT_RULE_INVALID: { status: 422, 'zh-CN': '审计规则不合法：{reasonZh}', 'en-US': 'The audit rule is invalid: {reasonEn}' },
  CMDB_AUDIT_RULE_BUILTIN: {
    status: 409,
    'zh-CN': '内置审计规则“{name}”不能删除，可以停用',
    'en-US': 'The built-in audit rule "{name}" cannot be deleted; disable it instead',
  },
  CMDB_AUDIT_SCHEDULE_INVALID: { status: 422, 'zh-CN': '审计计划不合法：{reasonZh}', 'en-US': 'The audit schedule is invalid: {reasonEn}' },
  CMDB_IMPORT_FILE_INVALID: {
    status: 400,
    'zh-CN': '文件无法读取：{reasonZh}',
    'en-US': 'The file cannot be read: {reasonEn}',
  },
  CMDB_IMPORT_FILE_TOO_LARGE: { status: 413, 'zh-CN': '导入文件过大（最大 {limit}）', 'en-US': 'The import file is too large ({limit} at most)' },
  CMDB_IMPORT_EMPTY: { status: 422, 'zh-CN': '文件中没有数据行', 'en-US': 'The file has no data rows' },
  CMDB_IMPORT_NO_SHEET: {
    status: 422,
    'zh-CN': '没有可识别的工作表：工作表名应为配置项类别标识或名称（无法识别：{sheets}）',
    'en-US': 'No recognisable sheet: sheet names must be CI class keys or names (not recognised: {sheets})',
  },
  CMDB_IMPORT_MERGED_CELLS: {
    status: 422,
    'zh-CN': '工作表“{sheet}”的数据区域含合并单元格 {range}，请取消合并后重试',
    'en-US': 'Sheet "{sheet}" has merged cells {range} in its data; unmerge them and retry',
  },
  CMDB_IMPORT_FORMULA: {
    status: 422,
    'zh-CN': '工作表“{sheet}”的单元格 {cell} 是公式，请粘贴为数值后重试',
    'en-US': 'Cell {cell} of sheet "{sheet}" holds a formula; paste it as a value and retry',
  },
  CMDB_IMPORT_TOO_MANY_ROWS: {
    status: 413,
    'zh-CN': '一次最多导入 {max} 行，请拆分文件',
    'en-US': 'At most {max} rows can be imported at once; split the file',
  },
  CMDB_IMPORT_UNKNOWN_COLUMN: {
    status: 422,
    'zh-CN': '工作表“{sheet}”的列 {column}“{header}”无法识别',
    'en-US': 'Column {column} "{header}" of sheet "{sheet}" is not recognised',
  },
  CMDB_IMPORT_MISSING_COLUMN: {
    status: 422,
    'zh-CN': '工作表“{sheet}”缺少必需的列“{header}”',
    'en-US': 'Sheet "{sheet}" lacks the required column "{header}"',
  },
  CMDB_IMPORT_CLASS_UNKNOWN: { status: 422, 'zh-CN': '配置项类别“{classKey}”不存在', 'en-US': 'There is no CI class "{classKey}"' },
  CMDB_IMPORT_HAS_ERRORS: {
    status: 422,
    'zh-CN': '导入文件有 {count} 处错误，未写入任何数据',
    'en-US': 'The import file has {count} errors; nothing was written',
  },
  ASSET_TAG_TAKEN: { status: 409, 'zh-CN': '资产编号“{tag}”已被使用', 'en-US': 'The asset tag "{tag}" is already taken' },
  ASSET_SERIAL_TAKEN: { status: 409, 'zh-CN': '序列号“{serial}”已登记在其他资产上', 'en-US': 'The serial number "{serial}" is already registered on another asset' },
  ASSET_TRANSITION_NOT_ALLOWED: {
    status: 422,
    'zh-CN': '资产不能从“{fromZh}”变更为“{toZh}”',
    'en-US': 'An asset cannot move from "{from}" to "{to}"',
  },
  ASSET_WIPE_REQUIRED: {
    status: 422,
    'zh-CN': '处置硬件资产前必须确认数据已清除，并选择清除方式',
    'en-US': 'Disposing of a hardware asset requires a confirmed data wipe and its method',
  },
  ASSET_CI_CROSS_ORG: { status: 422, 'zh-CN': '资产只能关联同一组织的配置项', 'en-US': 'An asset can only be linked to a CI of the same organisation' },
  ASSET_CI_TAKEN: { status: 409, 'zh-CN': '该配置项已关联资产“{tag}”', 'en-US': 'This CI is already linked to the asset "{tag}"' },
  ASSET_CONTRACT_VENDOR_MISMATCH: {
    status: 422,
    'zh-CN': '所选合同不属于该供应商或不适用于该资产所属组织',
    'en-US': 'The contract does not belong to this vendor or does not cover the asset\'s organisation',
  },
  SPARE_PART_NUMBER_TAKEN: { status: 409, 'zh-CN': '备件编号“{partNumber}”已被使用', 'en-US': 'The part number "{partNumber}" is already taken' },
  SPARE_PART_STOCK_INSUFFICIENT: {
    status: 409,
    'zh-CN': '库位“{location}”库存不足：现有 {available}，需要 {requested}',
    'en-US': 'Not enough stock at "{location}": {available} available, {requested} requested',
  },
  SPARE_PART_MOVEMENT_INVALID: { status: 422, 'zh-CN': '出入库信息不完整：{reasonZh}', 'en-US': 'The stock movement is incomplete: {reasonEn}' },
  VENDOR_NAME_TAKEN: { status: 409, 'zh-CN': '供应商名称“{name}”已被使用（不区分大小写）', 'en-US': 'The vendor name "{name}" is already taken (case-insensitive)' },
  VENDOR_CREDIT_CODE_INVALID: {
    status: 422,
    'zh-CN': '统一社会信用代码“{code}”无效：应为 18 位且校验位正确（GB 32100）',
    'en-US': 'The unified social credit code "{code}" is invalid: it must have 18 characters and a correct check character (GB 32100)',
  },
  VENDOR_CREDIT_CODE_TAKEN: { status: 409, 'zh-CN': '统一社会信用代码“{code}”已登记在其他供应商上', 'en-US': 'The credit code "{code}" is already registered on another vendor' },
  VENDOR_PRIMARY_CONTACT_DUPLICATE: { status: 422, 'zh-CN': '只能有一位主要联系人', 'en-US': 'Only one contact can be the primary contact' },
  VENDOR_CONTRACT_DATES_INVALID: {
    status: 422,
    'zh-CN': '合同日期无效：结束日期（{end}）不能早于开始日期（{start}）',
    'en-US': 'Invalid contract dates: the end date ({end}) cannot be before the start date ({start})',
  },
  VENDOR_CONTRACT_SLA_KIND: {
    status: 422,
    'zh-CN': '合同只能关联类型为“支撑合同（UC）”的服务级别定义，所选定义的类型是 {kind}',
    'en-US': 'A contract can only be linked to an underpinning-contract (uc) SLA definition; this one is of kind {kind}',
  },
  VENDOR_CONTRACT_NUMBER_TAKEN: { status: 409, 'zh-CN': '合同编号“{number}”已被使用', 'en-US': 'The contract number "{number}" is already taken' },
  VENDOR_EVALUATION_EXISTS: { status: 409, 'zh-CN': '该供应商 {year} 年度的评价已存在', 'en-US': 'This vendor already has an evaluation for {year}' },
  REPAIR_ASSET_UNAVAILABLE: {
    status: 409,
    'zh-CN': '资产当前状态为“{status}”，不能送修（已报废、已处置或正在维修中）',
    'en-US': 'The asset is "{status}" and cannot go to repair (retired, disposed or already under repair)',
  },
  REPAIR_APPROVAL_REQUIRED: {
    status: 409,
    'zh-CN': '保外维修须先提交费用预估并经审批通过，才能开始维修',
    'en-US': 'An out-of-warranty repair needs an approved cost estimate before it can start',
  },
  REPAIR_APPROVER_IS_REQUESTER: {
    status: 403,
    'zh-CN': '费用申请人或维修单创建人不能审批自己的申请',
    'en-US': 'The person who requested the cost (or created the order) cannot decide on it',
  },
  REPAIR_TICKET_INVALID: {
    status: 422,
    'zh-CN': '关联的工单必须是该资产所属组织的事件工单',
    'en-US': 'The linked ticket must be an incident of the asset\'s organisation',
  },
};

export type ErrorParams = Record<string, string | number>;

/** A failure the client is told about: stable code, HTTP status from the registry, localised text. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly details: unknown;
  /** Set once a refusal has been written to the audit log, so it is not written twice. */
  audited = false;
  constructor(code: ErrorCode, params: ErrorParams = {}, details?: unknown) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.details = details;
  }
  get status(): number {
    return ERROR_REGISTRY[this.code].status;
  }
}

export function formatError(code: ErrorCode, locale: Locale, params: ErrorParams = {}): string {
  const template = ERROR_REGISTRY[code][locale];
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = params[k];
    return v === undefined ? '' : String(v);
  });
}
