import { useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Switch, Table, Tag, TreeSelect } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CmdbAuditRule, CmdbAuditRuleKind, CmdbAuditRuleParams } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { buildClassTree, type ClassTreeNode } from './cmdb-presentation.component';
import { useCiClasses } from './use-cmdb.query';
import { useAuditRules, useDeleteAuditRule, useSaveAuditRule } from './use-cmdb-quality.query';

export const RULE_KINDS: readonly CmdbAuditRuleKind[] = ['required_missing', 'no_owner', 'no_service_relation', 'stale', 'duplicate_identifier'];
const IDENTIFIER_FIELDS = ['name', 'hostname', 'ip', 'serialNumber', 'assetTag', 'cloudId'] as const;
type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];
const isIdentifierField = (s: string | undefined): s is IdentifierField => (IDENTIFIER_FIELDS as readonly string[]).includes(s ?? '');
const ATTR = 'attr';

type KeyNode = { value: string; title: string; children: KeyNode[] };
const byKey = (nodes: ClassTreeNode[]): KeyNode[] => nodes.map((n) => ({ value: n.cls.key, title: n.cls.name, children: byKey(n.children) }));

interface RuleForm {
  name: string;
  kind: CmdbAuditRuleKind;
  classKey: string | undefined;
  days: number | undefined;
  identifier: string;
  attrKey: string;
  sameClass: boolean;
  enabled: boolean;
}

/** The params line of a rule, in words. */
export function useRuleParamsText() {
  const { t } = useTranslation();
  return (r: CmdbAuditRule) => {
    if (r.kind === 'stale') return t('cmdbQuality.audits.rules.paramsText.days', { days: r.params.days ?? 0 });
    if (r.kind === 'duplicate_identifier') {
      const id = r.params.identifier ?? '';
      const label = isIdentifierField(id) ? t(`cmdbQuality.audits.rules.identifiers.${id}`) : id;
      return `${t('cmdbQuality.audits.rules.paramsText.identifier', { identifier: label })}${r.params.sameClass ? t('cmdbQuality.audits.rules.paramsText.sameClassSuffix') : ''}`;
    }
    return t('common.none');
  };
}

function RuleFormModal({ rule, onClose }: { rule: CmdbAuditRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RuleForm>();
  const classes = useCiClasses();
  const save = useSaveAuditRule();
  const kind = Form.useWatch('kind', form) ?? rule?.kind;
  const identifier = Form.useWatch('identifier', form);
  const classTree = useMemo(() => byKey(buildClassTree(classes.data ?? [])), [classes.data]);
  const ident = rule?.params.identifier;
  const initial: RuleForm = {
    name: rule?.name ?? '',
    kind: rule?.kind ?? 'no_owner',
    classKey: rule?.classKey ?? undefined,
    days: rule?.params.days ?? 180,
    identifier: ident === undefined ? 'name' : isIdentifierField(ident) ? ident : ATTR,
    attrKey: ident?.startsWith('attr.') ? ident.slice(5) : '',
    sameClass: rule?.params.sameClass ?? true,
    enabled: rule?.enabled ?? true,
  };

  const submit = async () => {
    const v = await form.validateFields();
    const k = rule?.kind ?? v.kind;
    let params: CmdbAuditRuleParams = {};
    if (k === 'stale') params = { days: v.days ?? 180 };
    if (k === 'duplicate_identifier') params = { identifier: v.identifier === ATTR ? `attr.${v.attrKey.trim()}` : v.identifier, sameClass: v.sameClass };
    const classKey = v.classKey ?? null;
    await save.mutateAsync(
      rule
        ? { id: rule.id, request: { version: rule.version, name: v.name, classKey, params, enabled: v.enabled } }
        : { request: { name: v.name, kind: k, classKey, params, enabled: v.enabled } },
    );
    notifySuccess(t('cmdbQuality.audits.rules.saved'));
    onClose();
  };

  return (
    <Modal
      open
      title={rule ? t('cmdbQuality.audits.rules.editTitle') : t('cmdbQuality.audits.rules.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('audit-rule-save', {})}
      destroyOnHidden
    >
      {save.error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('cmdb.versionConflict') : errorText(save.error)}
          style={{ marginBottom: 16 }}
          data-testid="audit-rule-error"
        />
      )}
      <Form<RuleForm> form={form} layout="vertical" initialValues={initial} data-testid="audit-rule-form">
        <Form.Item name="name" label={t('cmdbQuality.audits.rules.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={120} data-testid="audit-rule-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('cmdbQuality.audits.rules.kind')}>
          <Select
            disabled={rule !== null}
            options={RULE_KINDS.map((k) => ({ value: k, label: t(`cmdbQuality.audits.rules.kinds.${k}`) }))}
            data-testid="audit-rule-kind"
            optionRender={(option) => <span data-testid={`audit-rule-kind-option-${String(option.value)}`}>{option.label}</span>}
          />
        </Form.Item>
        <Form.Item name="classKey" label={t('cmdbQuality.audits.rules.scope')}>
          <TreeSelect<string>
            allowClear
            treeDefaultExpandAll
            placeholder={t('cmdbQuality.audits.rules.allClasses')}
            treeData={classTree}
            showSearch={{ treeNodeFilterProp: 'title' }}
            data-testid="audit-rule-class"
          />
        </Form.Item>
        {kind === 'stale' && (
          <Form.Item name="days" label={t('cmdbQuality.audits.rules.days')} rules={[{ required: true }]}>
            <InputNumber min={1} max={3650} precision={0} data-testid="audit-rule-days" />
          </Form.Item>
        )}
        {kind === 'duplicate_identifier' && (
          <>
            <Form.Item name="identifier" label={t('cmdbQuality.audits.rules.identifier')}>
              <Select
                options={[
                  ...IDENTIFIER_FIELDS.map((f) => ({ value: f, label: t(`cmdbQuality.audits.rules.identifiers.${f}`) })),
                  { value: ATTR, label: t('cmdbQuality.audits.rules.identifierAttr') },
                ]}
                data-testid="audit-rule-identifier"
              />
            </Form.Item>
            {identifier === ATTR && (
              <Form.Item name="attrKey" label="attr.<key>" rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/ }]}>
                <Input maxLength={40} data-testid="audit-rule-attr" />
              </Form.Item>
            )}
            <Form.Item name="sameClass" label={t('cmdbQuality.audits.rules.sameClass')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
        <Form.Item name="enabled" label={t('cmdbQuality.audits.rules.enabled')} valuePropName="checked">
          <Switch data-testid="audit-rule-enabled" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The rules table; editing (enable, params, new, delete) for class managers only. */
export function AuditRulesCard({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const rules = useAuditRules();
  const classes = useCiClasses();
  const save = useSaveAuditRule();
  const remove = useDeleteAuditRule();
  const paramsText = useRuleParamsText();
  const [editing, setEditing] = useState<CmdbAuditRule | 'new' | null>(null);
  const className = new Map((classes.data ?? []).map((c) => [c.key, c.name]));

  const columns: TableColumnsType<CmdbAuditRule> = [
    {
      title: t('cmdbQuality.audits.rules.name'),
      key: 'name',
      render: (_v, r) => (
        <>
          {r.name}
          {r.builtin && (
            <Tag style={{ marginInlineStart: 6 }} bordered={false}>
              {t('cmdbQuality.audits.rules.builtin')}
            </Tag>
          )}
        </>
      ),
    },
    { title: t('cmdbQuality.audits.rules.kind'), key: 'kind', render: (_v, r) => t(`cmdbQuality.audits.rules.kinds.${r.kind}`) },
    { title: t('cmdbQuality.audits.rules.scope'), key: 'scope', render: (_v, r) => (r.classKey === null ? t('cmdbQuality.audits.rules.allClasses') : (className.get(r.classKey) ?? r.classKey)) },
    { title: t('cmdbQuality.audits.rules.params'), key: 'params', render: (_v, r) => paramsText(r) },
    {
      title: t('cmdbQuality.audits.rules.enabled'),
      key: 'enabled',
      render: (_v, r) => (
        <Switch
          checked={r.enabled}
          disabled={!canManage}
          loading={save.isPending && save.variables?.id === r.id}
          onChange={(enabled) => void save.mutateAsync({ id: r.id, request: { version: r.version, enabled } }).catch(() => undefined)}
          data-testid={`audit-rule-enabled-${r.key}`}
        />
      ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, r: CmdbAuditRule) => (
              <>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`audit-rule-edit-${r.key}`}>
                  {t('common.edit')}
                </Button>
                {!r.builtin && (
                  <Popconfirm
                    title={t('cmdbQuality.audits.rules.deleteConfirm')}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={testId(`audit-rule-delete-ok-${r.key}`, { danger: true })}
                    onConfirm={() => remove.mutateAsync(r.id).then(() => notifySuccess(t('cmdbQuality.audits.rules.deleted')))}
                  >
                    <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={`audit-rule-delete-${r.key}`}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('cmdbQuality.audits.rules.title')}
      style={{ marginBottom: 16 }}
      extra={
        canManage && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="audit-rule-new">
            {t('cmdbQuality.audits.rules.create')}
          </Button>
        )
      }
    >
      {save.error && !editing && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 16 }} />}
      <Table<CmdbAuditRule>
        rowKey="id"
        size="small"
        loading={rules.isFetching}
        columns={columns}
        dataSource={rules.data ?? []}
        pagination={false}
        onRow={(r) => testId(`audit-rule-row-${r.key}`, {})}
        scroll={{ x: 'max-content' }}
      />
      {editing && <RuleFormModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
