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
  WORKFLOW_INVALID: { status: 422, 'zh-CN': '工作流定义有 {count} 处问题，未保存', 'en-US': 'The workflow definition has {count} problem(s) and was not saved' },
  WORKFLOW_KEY_TAKEN: { status: 409, 'zh-CN': '工作流标识 {key} 已存在', 'en-US': 'A workflow with key {key} already exists' },
  TICKET_TYPE_ENDPOINT: { status: 422, 'zh-CN': '{type} 类工单请通过 {path} 创建', 'en-US': 'Tickets of type {type} are created through {path}' },
  WORKFLOW_TYPE_MISMATCH: { status: 422, 'zh-CN': '工作流 {key} 不适用于此类工单', 'en-US': 'Workflow {key} is not for this ticket type' },
  APPROVAL_REQUIRED: { status: 409, 'zh-CN': '尚未获得“{approval}”审批，不能执行此操作', 'en-US': 'This needs the "{approval}" approval first' },
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
  REQUEST_FORM_INVALID: { status: 422, 'zh-CN': '表单填写有误，请检查标出的字段', 'en-US': 'The form has errors; check the marked fields' },
  REQUEST_FORM_VERSION_MISMATCH: { status: 409, 'zh-CN': '表单已更新（当前版本 {current}），请重新加载后再提交', 'en-US': 'The form has changed (now version {current}); reload it and submit again' },
  REQUEST_FORM_SCHEMA_INVALID: { status: 422, 'zh-CN': '表单设计有误：{summary}', 'en-US': 'The form design is invalid: {summary}' },
  REQUEST_TYPE_KEY_TAKEN: { status: 409, 'zh-CN': '请求类型标识“{key}”已被使用', 'en-US': 'The request type key "{key}" is already taken' },
  REQUEST_TYPE_UNAVAILABLE: { status: 422, 'zh-CN': '请求类型“{key}”已停用或不向该组织开放', 'en-US': 'The request type "{key}" is inactive or not offered to this organisation' },
  REQUEST_WORKFLOW_INVALID: { status: 422, 'zh-CN': '流程“{key}”不存在或不是服务请求流程', 'en-US': 'The workflow "{key}" does not exist or is not a service request workflow' },
  REQUEST_TASKS_OPEN: { status: 409, 'zh-CN': '还有 {count} 个履行任务未完成，不能标记为已履行', 'en-US': '{count} fulfilment tasks are still open; the request cannot be fulfilled yet' },
  REQUEST_TASK_CLOSED: { status: 409, 'zh-CN': '该履行任务已完成或已取消', 'en-US': 'The fulfilment task is already done or cancelled' },
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
  RELEASE_ROLLBACK_PLAN_REQUIRED: { status: 422, 'zh-CN': '发布必须填写回退方案', 'en-US': 'A release needs a rollback plan' },
  RELEASE_CHANGE_NOT_CHANGE: { status: 422, 'zh-CN': '工单 {number} 不是变更单，只有变更可以加入发布', 'en-US': 'Ticket {number} is not a change; only changes can be bundled into a release' },
  RELEASE_CHANGE_IN_OTHER_RELEASE: { status: 409, 'zh-CN': '变更 {number} 已在进行中的发布 {release} 里', 'en-US': 'Change {number} is already in the open release {release}' },
  RELEASE_DEPLOYMENT_NOT_STARTED: { status: 422, 'zh-CN': '部署还没有开始时间，不能记录结果或完成时间', 'en-US': 'The deployment has no start time; record when it started before its result or finish' },
  RELEASE_DEPLOYMENT_TIMES_INVALID: { status: 422, 'zh-CN': '部署的完成时间不能早于开始时间', 'en-US': 'A deployment cannot finish before it started' },
  RELEASE_NO_CHANGES: { status: 422, 'zh-CN': '发布还没有关联任何变更', 'en-US': 'The release has no linked changes' },
  RELEASE_CMDB_CIS_NOT_BUMPED: { status: 422, 'zh-CN': '有 {count} 个配置项没有记录其变更的新版本；请先更新 CMDB，或填写说明后确认', 'en-US': '{count} CI(s) have no new version naming their change; update the CMDB, or confirm with an override note' },
  RELEASE_CMDB_NOT_CONFIRMED: { status: 422, 'zh-CN': '发布完成前必须确认 CMDB 已更新', 'en-US': 'Confirm that the CMDB was updated before completing the release' },
  RELEASE_CLOSED: { status: 409, 'zh-CN': '发布已结束（{state}），不能再修改', 'en-US': 'The release has ended ({state}) and can no longer be changed' },
  APPROVAL_NO_APPROVERS: { status: 422, 'zh-CN': '审批步骤“{step}”找不到可用的审批人（申请人本人除外），请检查审批配置', 'en-US': 'The approval step "{step}" has no available approver (the requester excluded); check the approval setup' },
  APPROVAL_NOT_APPROVER: { status: 403, 'zh-CN': '您不是此审批的审批人', 'en-US': 'You are not an approver of this approval' },
  APPROVAL_ALREADY_DECIDED: { status: 409, 'zh-CN': '此审批任务已处理（{state}），不能重复审批', 'en-US': 'This approval task was already handled ({state}); it cannot be decided again' },
  APPROVAL_NOT_PENDING: { status: 409, 'zh-CN': '此审批已结束（{state}）', 'en-US': 'This approval has already ended ({state})' },
  APPROVAL_DELEGATE_INVALID: { status: 422, 'zh-CN': '不能委托给该用户：{reasonZh}', 'en-US': 'The task cannot be delegated to this user: {reasonEn}' },
  APPROVAL_LINK_INVALID: { status: 404, 'zh-CN': '审批链接无效', 'en-US': 'The approval link is not valid' },
  APPROVAL_LINK_USED: { status: 410, 'zh-CN': '审批链接已使用或已失效，请登录后在“我的审批”中处理', 'en-US': 'The approval link was already used or withdrawn; sign in and use "My approvals"' },
  APPROVAL_LINK_EXPIRED: { status: 410, 'zh-CN': '审批链接已过期，请登录后在“我的审批”中处理', 'en-US': 'The approval link has expired; sign in and use "My approvals"' },
  PROBLEM_INCIDENT_ALREADY_LINKED: {
    status: 409,
    'zh-CN': '事件 {number} 已关联到问题 {problem}，一个事件只能属于一个问题',
    'en-US': 'Incident {number} is already linked to problem {problem}; an incident belongs to one problem only',
  },
  PROBLEM_LINK_WRONG_TYPE: {
    status: 422,
    'zh-CN': '工单 {number} 不是{expectedZh}，不能按{expectedZh}关联',
    'en-US': 'Ticket {number} is not {expectedEn} and cannot be linked as one',
  },
  PROBLEM_LINK_CROSS_ORG: {
    status: 422,
    'zh-CN': '{ref} 属于其他组织：只能关联与问题同一组织的事件、配置项和变更',
    'en-US': '{ref} belongs to another organisation: only incidents, CIs and changes of the problem\'s organisation can be linked',
  },
  PROBLEM_ROOT_CAUSE_REQUIRED: {
    status: 422,
    'zh-CN': '解决问题或标记为已知错误前，须先记录根本原因和原因分类',
    'en-US': 'Record a root cause and a cause category before resolving the problem or marking it a known error',
  },
  CHANGE_ROLLBACK_PLAN_REQUIRED: { status: 422, 'zh-CN': '变更必须填写回退方案', 'en-US': 'A change needs a rollback plan' },
  CHANGE_PLANNED_WINDOW_INVALID: { status: 422, 'zh-CN': '变更须填写计划开始和结束时间，且结束晚于开始', 'en-US': 'A change needs a planned start and end, with the end after the start' },
  CHANGE_TEMPLATE_REQUIRED: { status: 422, 'zh-CN': '标准变更必须基于已启用的预批准模板创建', 'en-US': 'A standard change must be created from an active pre-approved template' },
  CHANGE_TEMPLATE_NAME_TAKEN: { status: 409, 'zh-CN': '变更模板名称已被使用', 'en-US': 'The change template name is already taken' },
  CHANGE_NOT_EDITABLE: { status: 409, 'zh-CN': '变更在状态“{state}”下不能再修改', 'en-US': 'The change cannot be edited in state "{state}"' },
  CHANGE_NOT_IMPLEMENTING: { status: 409, 'zh-CN': '只有在实施中的变更才能执行割接步骤（当前状态“{state}”）', 'en-US': 'Cutover steps can only be executed while the change is implementing (now "{state}")' },
  CHANGE_CUTOVER_OUT_OF_ORDER: { status: 409, 'zh-CN': '割接步骤须按顺序执行：请先完成第 {position} 步', 'en-US': 'Cutover steps run in order: finish step {position} first' },
  CHANGE_CUTOVER_STEP_STATE: { status: 409, 'zh-CN': '割接步骤当前为“{state}”，不能执行“{action}”', 'en-US': 'The cutover step is "{state}"; "{action}" is not possible' },
  CHANGE_CUTOVER_RESULT_REQUIRED: { status: 422, 'zh-CN': '请填写该割接步骤的执行结果', 'en-US': 'Record the result of the cutover step' },
  CHANGE_WINDOW_INVALID: { status: 422, 'zh-CN': '变更窗口不合法：{reason}', 'en-US': 'The change window is invalid: {reason}' },
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
