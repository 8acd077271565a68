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
