import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Flex, Form, Input, Modal, Popconfirm, Result, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ApartmentOutlined, ArrowLeftOutlined, CheckCircleOutlined, DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApprovalDefinition, Label, Workflow, WorkflowDefinition, WorkflowIssue, WorkflowState, WorkflowTransition } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { ApprovalFormModal } from './approval-form-modal.component';
import { StateFormModal } from './state-form-modal.component';
import { TransitionFormModal } from './transition-form-modal.component';
import { issuesFromDetails, useSaveWorkflow, useValidateWorkflow, useWorkflow, useWorkflowExtensions, workflowKeys } from './use-workflows.query';
import { WorkflowDiagram } from './workflow-diagram.component';
import {
  addApproval,
  addState,
  addTransition,
  applyPositions,
  moveState,
  removeApproval,
  removeState,
  removeTransition,
  sameDefinition,
  setInitial,
  setOnCreate,
  transitionKeys,
  updateApproval,
  updateState,
  updateTransition,
} from './workflow-edit';
import { autoLayout, stateName } from './workflow-graph';
import { categoryTagColor, localized } from './workflow-labels';

type Editing =
  | { kind: 'state'; key: string | null }
  | { kind: 'transition'; index: number | null }
  | { kind: 'approval'; key: string | null }
  | null;

type SaveForm = { note?: string };

function IssueList({ issues, stale }: { issues: readonly WorkflowIssue[]; stale: boolean }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('workflow.editor.invalid', { count: issues.length })}
      data-testid="workflow-issues"
      description={
        <>
          {stale && <Typography.Paragraph type="secondary">{t('workflow.editor.issuesStale')}</Typography.Paragraph>}
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {issues.map((issue, i) => (
              <li key={`${issue.code}-${issue.path}-${i}`} data-testid="workflow-issue" data-code={issue.code} data-ref={issue.ref}>
                {t(`workflow.issue.${issue.code}`, { ref: issue.ref })}{' '}
                <Typography.Text type="secondary" code>
                  {issue.path}
                </Typography.Text>
              </li>
            ))}
          </ul>
        </>
      }
    />
  );
}

function LoadedEditor({ workflow }: { workflow: Workflow }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [, setParams] = useSearchParams();
  const extensions = useWorkflowExtensions(can('workflow.manage'));
  const validate = useValidateWorkflow();
  const save = useSaveWorkflow(workflow.key);
  const [saveForm] = Form.useForm<SaveForm>();

  const [draft, setDraft] = useState<WorkflowDefinition>(workflow.definition);
  const [name, setName] = useState<Label>(workflow.name);
  const [issues, setIssues] = useState<WorkflowIssue[]>([]);
  const [issuesStale, setIssuesStale] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const [tab, setTab] = useState('states');

  const oldVersion = workflow.version !== workflow.currentVersion;
  const readOnly = oldVersion || !can('workflow.manage');
  const dirty = !sameDefinition(draft, workflow.definition) || name['zh-CN'] !== workflow.name['zh-CN'] || name['en-US'] !== workflow.name['en-US'];

  const edit = (next: WorkflowDefinition) => {
    setDraft(next);
    if (issues.length) setIssuesStale(true);
  };

  const runValidate = async () => {
    try {
      const result = await validate.mutateAsync(draft);
      setIssues(result.issues);
      setIssuesStale(false);
      if (result.ok && result.issues.length === 0) notifySuccess(t('workflow.editor.valid'));
    } catch {
      // The query cache reports the failure.
    }
  };

  const runSave = async () => {
    const values = await saveForm.validateFields();
    setSaveError(null);
    try {
      const saved = await save.mutateAsync({
        baseVersion: workflow.version,
        name: { 'zh-CN': name['zh-CN'].trim(), 'en-US': name['en-US'].trim() },
        definition: draft,
        note: values.note?.trim() || undefined,
      });
      setSaving(false);
      setIssues([]);
      notifySuccess(t('workflow.editor.saved', { version: saved.version }));
    } catch (error) {
      setSaving(false);
      if (isApiError(error, 'VERSION_CONFLICT')) {
        setConflict(true);
      } else if (isApiError(error, 'WORKFLOW_INVALID')) {
        setIssues(issuesFromDetails(error.details));
        setIssuesStale(false);
        setSaveError(t('workflow.editor.saveInvalid'));
      } else {
        setSaveError(errorText(error));
      }
    }
  };

  const reloadLatest = async () => {
    setConflict(false);
    await queryClient.invalidateQueries({ queryKey: workflowKeys.details(workflow.key) });
  };

  const viewVersion = (version: number | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (version === null) next.delete('version');
      else next.set('version', String(version));
      return next;
    });

  const editingState = editing?.kind === 'state' && editing.key ? (draft.states.find((s) => s.key === editing.key) ?? null) : null;
  const editingTransition = editing?.kind === 'transition' && editing.index !== null ? (draft.transitions[editing.index] ?? null) : null;
  const editingApproval = editing?.kind === 'approval' && editing.key ? (draft.approvals.find((a) => a.key === editing.key) ?? null) : null;

  const stateColumns: TableColumnsType<WorkflowState> = [
    { title: t('workflow.state.key'), dataIndex: 'key', key: 'key', render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
    { title: t('workflow.state.label'), key: 'label', render: (_v, s) => `${s.label['zh-CN']} / ${s.label['en-US']}` },
    {
      title: t('workflow.state.category'),
      key: 'category',
      render: (_v, s) => (
        <Space size={4}>
          <Tag color={categoryTagColor(s.category)}>{t(`workflow.category.${s.category}`)}</Tag>
          {s.key === draft.initial && <Tag color="gold">{t('workflow.state.isInitial')}</Tag>}
        </Space>
      ),
    },
    ...(readOnly
      ? []
      : [
          {
            title: t('workflow.common.actions'),
            key: 'actions',
            width: 120,
            render: (_v: unknown, s: WorkflowState) => (
              <Space size={0}>
                <Button type="link" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'state', key: s.key })} aria-label={t('workflow.common.edit')} data-testid={`state-edit-${s.key}`} />
                <Popconfirm
                  title={t('workflow.state.removeConfirm', { name: localized(s.label, lang) })}
                  onConfirm={() => edit(removeState(draft, s.key))}
                  okText={t('workflow.common.ok')}
                  cancelText={t('workflow.common.cancel')}
                  okButtonProps={testId('popconfirm-ok', {})}
                >
                  <Button type="link" danger icon={<DeleteOutlined />} aria-label={t('workflow.common.remove')} disabled={draft.states.length <= 2} data-testid={`state-remove-${s.key}`} />
                </Popconfirm>
              </Space>
            ),
          },
        ]),
  ];

  const transitionRows = draft.transitions.map((tr, index) => ({ ...tr, index }));
  type TransitionRow = (typeof transitionRows)[number];
  const names = (keys: readonly string[]) => keys.map((k) => stateName(draft, k, lang)).join(', ');
  const transitionColumns: TableColumnsType<TransitionRow> = [
    {
      title: t('workflow.transition.key'),
      key: 'key',
      render: (_v, tr) => (
        <Space size={4} wrap>
          <Typography.Text code>{tr.key}</Typography.Text>
          {tr.system && <Tag>{t('workflow.transition.system')}</Tag>}
        </Space>
      ),
    },
    { title: t('workflow.transition.label'), key: 'label', render: (_v, tr) => localized(tr.label, lang) },
    { title: t('workflow.transition.from'), key: 'from', render: (_v, tr) => names(tr.from) },
    { title: t('workflow.transition.to'), key: 'to', render: (_v, tr) => (tr.to === null ? t('workflow.transition.toKeep') : stateName(draft, tr.to, lang)) },
    {
      title: t('workflow.transition.allow'),
      key: 'allow',
      render: (_v, tr) =>
        tr.allow.length === 0
          ? t('workflow.transition.anyone')
          : tr.allow.map((a) => [a.permission, a.role, a.orgKind, a.party].filter(Boolean).join(' + ')).join(' | '),
    },
    { title: t('workflow.transition.inputs'), key: 'inputs', render: (_v, tr) => tr.inputs.map((i) => <Tag key={i}>{t(`workflow.input.${i}`)}</Tag>) },
    {
      title: t('workflow.transition.guards'),
      key: 'guards',
      render: (_v, tr) =>
        tr.guards.map((g, i) => (
          <Tag key={i} color="purple">
            {g.type === 'field_set' ? g.field : g.type === 'approval_granted' ? `✔ ${g.approval}` : g.name}
          </Tag>
        )),
    },
    {
      title: t('workflow.transition.effects'),
      key: 'effects',
      render: (_v, tr) =>
        tr.effects.map((e, i) => (
          <Tag key={i} color="cyan">
            {t(`workflow.transition.effectType.${e.type}`)}
            {e.type === 'hook' ? `: ${e.name}` : e.type === 'start_approval' ? `: ${e.approval}` : ''}
          </Tag>
        )),
    },
    ...(readOnly
      ? []
      : [
          {
            title: t('workflow.common.actions'),
            key: 'actions',
            width: 120,
            render: (_v: unknown, tr: TransitionRow) => (
              <Space size={0}>
                <Button type="link" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'transition', index: tr.index })} aria-label={t('workflow.common.edit')} data-testid={`transition-edit-${tr.index}`} />
                <Popconfirm
                  title={t('workflow.transition.removeConfirm', { name: localized(tr.label, lang) })}
                  onConfirm={() => edit(removeTransition(draft, tr.index))}
                  okText={t('workflow.common.ok')}
                  cancelText={t('workflow.common.cancel')}
                  okButtonProps={testId('popconfirm-ok', {})}
                >
                  <Button type="link" danger icon={<DeleteOutlined />} aria-label={t('workflow.common.remove')} disabled={draft.transitions.length <= 1} data-testid={`transition-remove-${tr.index}`} />
                </Popconfirm>
              </Space>
            ),
          },
        ]),
  ];

  const approvalColumns: TableColumnsType<ApprovalDefinition> = [
    { title: t('workflow.approval.key'), dataIndex: 'key', key: 'key', render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
    { title: t('workflow.approval.label'), key: 'label', render: (_v, a) => localized(a.label, lang) },
    {
      title: t('workflow.approval.steps'),
      key: 'steps',
      render: (_v, a) => (
        <Flex vertical>
          {a.steps.map((s, i) => (
            <span key={s.key}>
              {i + 1}. {localized(s.label, lang)} — {s.approvers.map((ap) => t(`workflow.approval.approverType.${ap.type}`) + (ap.type === 'role' ? `(${ap.role})` : ap.type === 'user' ? `#${ap.userId}` : ap.type === 'group' ? `#${ap.groupId}` : '')).join(', ')} ·{' '}
              {t(`workflow.approval.ruleValues.${s.rule.type}`)}
              {s.rule.type === 'count' ? ` (${s.rule.count})` : ''}
            </span>
          ))}
        </Flex>
      ),
    },
    { title: t('workflow.approval.onApproved'), key: 'onApproved', render: (_v, a) => a.onApproved ?? '—' },
    { title: t('workflow.approval.onRejected'), key: 'onRejected', render: (_v, a) => a.onRejected ?? '—' },
    ...(readOnly
      ? []
      : [
          {
            title: t('workflow.common.actions'),
            key: 'actions',
            width: 120,
            render: (_v: unknown, a: ApprovalDefinition) => (
              <Space size={0}>
                <Button type="link" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'approval', key: a.key })} aria-label={t('workflow.common.edit')} data-testid={`approval-edit-${a.key}`} />
                <Popconfirm
                  title={t('workflow.approval.removeConfirm', { name: localized(a.label, lang) })}
                  onConfirm={() => edit(removeApproval(draft, a.key))}
                  okText={t('workflow.common.ok')}
                  cancelText={t('workflow.common.cancel')}
                  okButtonProps={testId('popconfirm-ok', {})}
                >
                  <Button type="link" danger icon={<DeleteOutlined />} aria-label={t('workflow.common.remove')} data-testid={`approval-remove-${a.key}`} />
                </Popconfirm>
              </Space>
            ),
          },
        ]),
  ];

  type VersionRow = Workflow['versions'][number];
  const historyColumns: TableColumnsType<VersionRow> = [
    {
      title: t('workflow.history.version'),
      key: 'version',
      render: (_v, v) => (
        <Space size={4}>
          v{v.version}
          {v.version === workflow.currentVersion && <Tag color="green">{t('workflow.history.current')}</Tag>}
        </Space>
      ),
    },
    { title: t('workflow.history.createdAt'), key: 'createdAt', render: (_v, v) => formatDateTime(v.createdAt) },
    { title: t('workflow.history.createdBy'), key: 'createdBy', render: (_v, v) => v.createdByName ?? '—' },
    { title: t('workflow.history.note'), key: 'note', render: (_v, v) => v.note ?? '' },
    {
      title: t('workflow.common.actions'),
      key: 'view',
      render: (_v, v) =>
        v.version === workflow.version ? null : (
          <Button type="link" onClick={() => viewVersion(v.version === workflow.currentVersion ? null : v.version)} data-testid={`history-view-${v.version}`}>
            {t('workflow.history.view')}
          </Button>
        ),
    },
  ];
  const versions = [...workflow.versions].sort((a, b) => b.version - a.version);

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <Link to="/settings/workflows" aria-label={t('workflow.editor.back')} data-testid="workflow-back">
            <ArrowLeftOutlined />
          </Link>
          <Typography.Text code data-testid="workflow-key">
            {workflow.key}
          </Typography.Text>
          <Tag>{t(`workflow.ticketType.${workflow.ticketType}`)}</Tag>
          <Tag color={oldVersion ? 'gold' : 'blue'} data-testid="workflow-version" data-version={workflow.version}>
            {t('workflow.editor.version', { version: workflow.version })}
          </Tag>
          {readOnly && <Tag data-testid="workflow-read-only">{t('workflow.editor.readOnly')}</Tag>}
          {dirty && !readOnly && (
            <Tag color="orange" data-testid="workflow-dirty">
              {t('workflow.editor.dirty')}
            </Tag>
          )}
        </Space>
        <Flex wrap justify="space-between" align="center" gap={8}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {localized(name, lang)}
          </Typography.Title>
          {!readOnly && (
            <Flex wrap gap={8}>
              <Button icon={<CheckCircleOutlined />} onClick={() => void runValidate()} loading={validate.isPending} data-testid="workflow-validate">
                {t('workflow.editor.validate')}
              </Button>
              <Button icon={<UndoOutlined />} disabled={!dirty} onClick={() => { setDraft(workflow.definition); setName(workflow.name); setIssues([]); }} data-testid="workflow-discard">
                {t('workflow.editor.discard')}
              </Button>
              <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} onClick={() => { setSaveError(null); setSaving(true); }} data-testid="workflow-save">
                {t('workflow.editor.save')}
              </Button>
            </Flex>
          )}
        </Flex>
      </Flex>

      {oldVersion && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('workflow.editor.viewingOld', { version: workflow.version, current: workflow.currentVersion })}
          data-testid="workflow-old-version"
          action={
            <Button onClick={() => viewVersion(null)} data-testid="workflow-back-to-current">
              {t('workflow.editor.backToCurrent')}
            </Button>
          }
        />
      )}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('workflow.editor.conflictTitle')}
          description={t('workflow.editor.conflict')}
          data-testid="workflow-conflict"
          action={
            <Button icon={<ReloadOutlined />} onClick={() => void reloadLatest()} data-testid="workflow-conflict-reload">
              {t('workflow.editor.reloadLatest')}
            </Button>
          }
        />
      )}
      {saveError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={saveError} data-testid="workflow-save-error" closable={{ onClose: () => setSaveError(null) }} />}
      {issues.length > 0 && <IssueList issues={issues} stale={issuesStale} />}

      <Card
        title={t('workflow.editor.diagram')}
        style={{ marginBottom: 16 }}
        extra={
          !readOnly && (
            <Button size="small" icon={<ApartmentOutlined />} onClick={() => edit(applyPositions(draft, autoLayout(draft)))} data-testid="workflow-auto-layout">
              {t('workflow.editor.autoLayout')}
            </Button>
          )
        }
      >
        {!readOnly && <Typography.Paragraph type="secondary">{t('workflow.editor.diagramHint')}</Typography.Paragraph>}
        <WorkflowDiagram
          definition={draft}
          issues={issuesStale ? [] : issues}
          editable={!readOnly}
          onMove={(key, x, y) => edit(moveState(draft, key, x, y))}
          onStateClick={readOnly ? undefined : (key) => setEditing({ kind: 'state', key })}
          onTransitionClick={
            readOnly
              ? undefined
              : (index) => {
                  setTab('transitions');
                  setEditing({ kind: 'transition', index });
                }
          }
        />
      </Card>

      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'states',
              label: <span data-testid="tab-states">{t('workflow.editor.tabs.states')}</span>,
              children: (
                <>
                  {!readOnly && (
                    <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setEditing({ kind: 'state', key: null })} disabled={draft.states.length >= 50} data-testid="state-add">
                      {t('workflow.state.add')}
                    </Button>
                  )}
                  <Table<WorkflowState>
                    rowKey="key"
                    size="small"
                    columns={stateColumns}
                    dataSource={draft.states}
                    pagination={false}
                    onRow={(s) => testId(`state-row-${s.key}`, {})}
                    scroll={{ x: 'max-content' }}
                  />
                </>
              ),
            },
            {
              key: 'transitions',
              label: <span data-testid="tab-transitions">{t('workflow.editor.tabs.transitions')}</span>,
              children: (
                <>
                  {!readOnly && (
                    <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setEditing({ kind: 'transition', index: null })} disabled={draft.transitions.length >= 200} data-testid="transition-add">
                      {t('workflow.transition.add')}
                    </Button>
                  )}
                  <Table<TransitionRow>
                    rowKey="index"
                    size="small"
                    columns={transitionColumns}
                    dataSource={transitionRows}
                    pagination={false}
                    onRow={(tr) => testId(`transition-row-${tr.index}`, { 'data-key': tr.key } as object)}
                    scroll={{ x: 'max-content' }}
                  />
                </>
              ),
            },
            {
              key: 'approvals',
              label: <span data-testid="tab-approvals">{t('workflow.editor.tabs.approvals')}</span>,
              children: (
                <>
                  {!readOnly && (
                    <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setEditing({ kind: 'approval', key: null })} disabled={draft.approvals.length >= 20} data-testid="approval-add">
                      {t('workflow.approval.add')}
                    </Button>
                  )}
                  <Table<ApprovalDefinition>
                    rowKey="key"
                    size="small"
                    columns={approvalColumns}
                    dataSource={draft.approvals}
                    pagination={false}
                    locale={{ emptyText: t('workflow.approval.empty') }}
                    onRow={(a) => testId(`approval-row-${a.key}`, {})}
                    scroll={{ x: 'max-content' }}
                  />
                </>
              ),
            },
            {
              key: 'settings',
              label: <span data-testid="tab-settings">{t('workflow.editor.tabs.settings')}</span>,
              children: (
                <Form layout="vertical" disabled={readOnly} style={{ maxWidth: 560 }}>
                  <Form.Item label={t('workflow.editor.nameZh')} required>
                    <Input value={name['zh-CN']} maxLength={64} onChange={(e) => setName({ ...name, 'zh-CN': e.target.value })} data-testid="workflow-name-zh" />
                  </Form.Item>
                  <Form.Item label={t('workflow.editor.nameEn')} required>
                    <Input value={name['en-US']} maxLength={64} onChange={(e) => setName({ ...name, 'en-US': e.target.value })} data-testid="workflow-name-en" />
                  </Form.Item>
                  <Form.Item label={t('workflow.editor.initial')}>
                    <Select
                      value={draft.initial}
                      options={draft.states.map((s) => ({ value: s.key, label: `${localized(s.label, lang)} (${s.key})` }))}
                      onChange={(key: string) => edit(setInitial(draft, key))}
                      data-testid="workflow-initial"
                    />
                  </Form.Item>
                  <Form.Item label={t('workflow.editor.onCreate')} extra={t('workflow.editor.onCreateHint')}>
                    <Select
                      value={draft.onCreate ?? ''}
                      options={[{ value: '', label: t('workflow.editor.none') }, ...transitionKeys(draft).map((k) => ({ value: k, label: k }))]}
                      onChange={(key: string) => edit(setOnCreate(draft, key === '' ? null : key))}
                      data-testid="workflow-on-create"
                    />
                  </Form.Item>
                </Form>
              ),
            },
            {
              key: 'history',
              label: <span data-testid="tab-history">{t('workflow.editor.tabs.history')}</span>,
              children: (
                <Table<VersionRow>
                  rowKey="version"
                  size="small"
                  columns={historyColumns}
                  dataSource={versions}
                  pagination={false}
                  onRow={(v) => testId(`history-row-${v.version}`, {})}
                />
              ),
            },
          ]}
        />
      </Card>

      <StateFormModal
        open={editing?.kind === 'state'}
        state={editingState}
        takenKeys={draft.states.map((s) => s.key).filter((k) => k !== editingState?.key)}
        onClose={() => setEditing(null)}
        onSubmit={(state) => {
          edit(editingState ? updateState(draft, editingState.key, state) : addState(draft, state));
          setEditing(null);
        }}
      />
      <TransitionFormModal
        open={editing?.kind === 'transition'}
        transition={editingTransition}
        definition={draft}
        extensions={extensions.data ?? { checks: [], hooks: [] }}
        onClose={() => setEditing(null)}
        onSubmit={(transition: WorkflowTransition) => {
          edit(editing?.kind === 'transition' && editing.index !== null ? updateTransition(draft, editing.index, transition) : addTransition(draft, transition));
          setEditing(null);
        }}
      />
      <ApprovalFormModal
        open={editing?.kind === 'approval'}
        approval={editingApproval}
        definition={draft}
        takenKeys={draft.approvals.map((a) => a.key).filter((k) => k !== editingApproval?.key)}
        onClose={() => setEditing(null)}
        onSubmit={(approval) => {
          edit(editingApproval ? updateApproval(draft, editingApproval.key, approval) : addApproval(draft, approval));
          setEditing(null);
        }}
      />
      <Modal
        open={saving}
        title={t('workflow.editor.saveTitle')}
        onCancel={() => setSaving(false)}
        onOk={() => void runSave().catch(() => undefined)}
        okText={t('workflow.common.save')}
        cancelText={t('workflow.common.cancel')}
        confirmLoading={save.isPending}
        okButtonProps={testId('workflow-save-ok', {})}
        destroyOnHidden
        data-testid="workflow-save-modal"
      >
        <Form<SaveForm> form={saveForm} layout="vertical" preserve={false}>
          <Form.Item name="note" label={t('workflow.editor.saveNote')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="workflow-save-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** /settings/workflows/:key (?version=N shows an older version read-only). */
export function WorkflowEditorPage() {
  const { t } = useTranslation();
  const key = useParams().key ?? '';
  const [params] = useSearchParams();
  const versionParam = Number(params.get('version'));
  const version = Number.isSafeInteger(versionParam) && versionParam > 0 ? versionParam : undefined;
  const query = useWorkflow(key, version);
  const workflow = query.data;
  // A new version (saved here or loaded after a conflict) starts a fresh draft.
  const draftKey = useMemo(() => (workflow ? `${workflow.key}@${workflow.version}` : ''), [workflow]);

  if (query.isPending) return <Skeleton active />;
  if (!workflow) {
    const error = query.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('workflow.editor.notFound') : errorText(error)}
        data-testid="workflow-not-found"
        extra={
          <Link to="/settings/workflows">
            <Button>{t('workflow.editor.back')}</Button>
          </Link>
        }
      />
    );
  }
  return <LoadedEditor key={draftKey} workflow={workflow} />;
}
