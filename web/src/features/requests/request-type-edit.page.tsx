import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Col, Flex, Form, Input, Radio, Result, Row, Select, Skeleton, Switch, Tabs, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FormField, FormSchemaIssue, Label, RequestType, TaskTemplate } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { useGroups, useOrganizations } from '../../shared/use-directory.query';
import { useWorkflows } from '../workflows/use-workflows.query';
import { localized } from '../workflows/workflow-labels';
import { FormDesigner } from './form-designer.component';
import { move, newField } from './form-values';
import { REQUEST_ICONS } from './request-icon.component';
import { useCreateRequestType, useRequestFormVersion, useRequestType, useSaveRequestForm, useUpdateRequestType } from './use-requests.query';

type Basics = {
  key: string;
  name: Label;
  description: Label;
  icon: string;
  category: Label;
  orgIds: number[] | null;
  workflowKey: string;
  active: boolean;
};

const emptyLabel = (): Label => ({ 'zh-CN': '', 'en-US': '' });
const blankBasics = (): Basics => ({ key: '', name: emptyLabel(), description: emptyLabel(), icon: 'file', category: emptyLabel(), orgIds: null, workflowKey: 'request', active: true });

function basicsOf(r: RequestType): Basics {
  return { key: r.key, name: r.name, description: r.description, icon: r.icon, category: r.category, orgIds: r.orgIds, workflowKey: r.workflowKey, active: r.active };
}

function TaskTemplatesEditor({ value, onChange }: { value: TaskTemplate[]; onChange: (v: TaskTemplate[]) => void }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const set = (i: number, patch: Partial<TaskTemplate>) => onChange(value.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const renumber = (list: TaskTemplate[]) => list.map((x, i) => ({ ...x, order: i }));
  return (
    <>
      <Typography.Paragraph type="secondary">{t('request.admin.tasksHelp')}</Typography.Paragraph>
      {value.map((x, i) => (
        <Flex key={i} gap={8} align="center" style={{ marginBottom: 8 }} data-testid={`template-row-${i}`}>
          <Typography.Text style={{ width: 24 }}>{i + 1}.</Typography.Text>
          <Input value={x.title} onChange={(e) => set(i, { title: e.target.value })} placeholder={t('request.task.name')} data-testid={`template-title-${i}`} />
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('request.task.unassigned')}
            value={x.groupId ?? undefined}
            onChange={(v) => set(i, { groupId: v ?? null })}
            options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
            style={{ width: 240 }}
            data-testid={`template-group-${i}`}
          />
          <Button type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => onChange(renumber(move(value, i, -1)))} aria-label={t('request.designer.moveUp')} />
          <Button type="text" icon={<ArrowDownOutlined />} disabled={i === value.length - 1} onClick={() => onChange(renumber(move(value, i, 1)))} aria-label={t('request.designer.moveDown')} />
          <Button type="text" danger icon={<DeleteOutlined />} onClick={() => onChange(renumber(value.filter((_x, j) => j !== i)))} aria-label={t('common.delete')} />
        </Flex>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => onChange([...value, { title: '', groupId: null, order: value.length }])} data-testid="template-add">
        {t('request.admin.addTask')}
      </Button>
    </>
  );
}

function issuesText(err: unknown, t: TFunction): string {
  if (isApiError(err, 'REQUEST_FORM_SCHEMA_INVALID')) {
    const issues = (err.details as { issues?: FormSchemaIssue[] } | undefined)?.issues ?? [];
    return issues.map((i) => t('request.designer.issue', { key: i.key, issue: t(`request.designer.issues.${i.code}`) })).join('；');
  }
  return errorText(err);
}

/** Creates or edits a request type: basics, fulfilment task templates and the form (each save a new version). */
export function RequestTypeEditPage() {
  const { id } = useParams();
  const creating = id === 'new';
  const typeId = creating ? null : Number(id);
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const type = useRequestType(typeId);
  const form = useRequestFormVersion(typeId, type.data?.formVersion ?? 0);
  const workflows = useWorkflows();
  const orgs = useOrganizations();
  const create = useCreateRequestType();
  const update = useUpdateRequestType(typeId ?? 0);
  const saveForm = useSaveRequestForm(typeId ?? 0);
  const [basics, setBasics] = useState<Basics>(blankBasics);
  const [templates, setTemplates] = useState<TaskTemplate[]>([]);
  const [fields, setFields] = useState<FormField[]>(() => [newField([])]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (type.data) {
      setBasics(basicsOf(type.data));
      setTemplates(type.data.taskTemplates.map(({ title, groupId, order }) => ({ title, groupId, order })));
    }
  }, [type.data]);
  useEffect(() => {
    if (form.data) setFields(form.data.schema.fields);
  }, [form.data]);

  if (!creating && type.isLoading) return <Skeleton active />;
  if (!creating && (type.isError || !type.data)) return <Result status="404" title={t('request.notFound')} />;

  const setLabel = (k: 'name' | 'description' | 'category', lang: keyof Label, v: string) => setBasics({ ...basics, [k]: { ...basics[k], [lang]: v } });
  const requestWorkflows = (workflows.data ?? []).filter((w) => w.ticketType === 'request');

  const onCreate = async () => {
    setError(null);
    try {
      const r = await create.mutateAsync({ ...basics, taskTemplates: templates, form: { fields } });
      notifySuccess(t('request.admin.created'));
      void navigate(`/settings/request-types/${r.id}`, { replace: true });
    } catch (err) {
      setError(issuesText(err, t));
    }
  };
  const onSaveBasics = async () => {
    if (!type.data) return;
    setError(null);
    const { key: _key, ...rest } = basics;
    try {
      await update.mutateAsync({ version: type.data.version, ...rest, taskTemplates: templates });
      notifySuccess(t('common.saved'));
    } catch (err) {
      setError(issuesText(err, t));
    }
  };
  const onSaveForm = async () => {
    if (!type.data) return;
    setError(null);
    try {
      const r = await saveForm.mutateAsync({ baseVersion: type.data.formVersion, schema: { fields } });
      notifySuccess(t('request.designer.savedVersion', { version: r.formVersion }));
    } catch (err) {
      setError(issuesText(err, t));
    }
  };

  const basicsCard = (
    <Form layout="vertical" component="div" style={{ maxWidth: 760 }}>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item label={t('request.admin.key')} required help={creating ? t('request.designer.keyHelp') : undefined}>
            <Input value={basics.key} disabled={!creating} onChange={(e) => setBasics({ ...basics, key: e.target.value.trim() })} data-testid="type-key" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.admin.icon')}>
            <Select value={basics.icon} onChange={(icon: string) => setBasics({ ...basics, icon })} options={Object.entries(REQUEST_ICONS).map(([k, icon]) => ({ value: k, label: <Flex gap={6}>{icon}{k}</Flex> }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.nameZh')} required>
            <Input value={basics.name['zh-CN']} onChange={(e) => setLabel('name', 'zh-CN', e.target.value)} data-testid="type-name-zh" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.nameEn')} required>
            <Input value={basics.name['en-US']} onChange={(e) => setLabel('name', 'en-US', e.target.value)} data-testid="type-name-en" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.categoryZh')} required>
            <Input value={basics.category['zh-CN']} onChange={(e) => setLabel('category', 'zh-CN', e.target.value)} data-testid="type-category-zh" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.categoryEn')} required>
            <Input value={basics.category['en-US']} onChange={(e) => setLabel('category', 'en-US', e.target.value)} data-testid="type-category-en" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.descriptionZh')}>
            <Input.TextArea rows={2} value={basics.description['zh-CN']} onChange={(e) => setLabel('description', 'zh-CN', e.target.value)} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.descriptionEn')}>
            <Input.TextArea rows={2} value={basics.description['en-US']} onChange={(e) => setLabel('description', 'en-US', e.target.value)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('request.admin.workflow')} help={t('request.admin.workflowHelp')}>
        <Select
          value={basics.workflowKey}
          onChange={(workflowKey: string) => setBasics({ ...basics, workflowKey })}
          options={(requestWorkflows.length ? requestWorkflows : [{ key: 'request', name: { 'zh-CN': 'request', 'en-US': 'request' } }, { key: 'request.simple', name: { 'zh-CN': 'request.simple', 'en-US': 'request.simple' } }]).map((w) => ({
            value: w.key,
            label: `${localized(w.name, i18n.language)} (${w.key})`,
          }))}
          data-testid="type-workflow"
        />
      </Form.Item>
      <Form.Item label={t('request.admin.orgs')}>
        <Radio.Group value={basics.orgIds === null ? 'all' : 'some'} onChange={(e) => setBasics({ ...basics, orgIds: e.target.value === 'all' ? null : (basics.orgIds ?? []) })}>
          <Radio value="all">{t('request.admin.allOrgs')}</Radio>
          <Radio value="some">{t('request.admin.chosenOrgs')}</Radio>
        </Radio.Group>
        {basics.orgIds !== null && (
          <Select<number[]>
            mode="multiple"
            value={basics.orgIds}
            onChange={(orgIds) => setBasics({ ...basics, orgIds })}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            optionFilterProp="label"
            style={{ width: '100%', marginTop: 8 }}
          />
        )}
      </Form.Item>
      <Form.Item label={t('request.admin.active')}>
        <Switch checked={basics.active} onChange={(active) => setBasics({ ...basics, active })} />
      </Form.Item>
    </Form>
  );

  return (
    <>
      <PageHeader
        title={creating ? t('request.admin.create') : localized(basics.name, i18n.language) || basics.key}
        testId="page-title"
        extra={
          creating ? (
            <Button type="primary" loading={create.isPending} onClick={() => void onCreate()} data-testid="type-create">
              {t('common.create')}
            </Button>
          ) : (
            <>
              <Button loading={update.isPending} onClick={() => void onSaveBasics()} data-testid="type-save">
                {t('request.admin.saveBasics')}
              </Button>
              <Button type="primary" loading={saveForm.isPending} onClick={() => void onSaveForm()} data-testid="form-save">
                {t('request.designer.saveForm', { version: (type.data?.formVersion ?? 0) + 1 })}
              </Button>
            </>
          )
        }
      />
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} message={error} style={{ marginBottom: 16 }} data-testid="type-error" />}
      <Card>
        <Tabs
          items={[
            { key: 'basics', label: t('request.admin.basics'), children: basicsCard },
            { key: 'tasks', label: t('request.admin.tasks'), children: <TaskTemplatesEditor value={templates} onChange={setTemplates} /> },
            {
              key: 'form',
              label: creating ? t('request.designer.title') : t('request.designer.titleVersion', { version: type.data?.formVersion ?? 1 }),
              children: (
                <>
                  {!creating && (
                    <Typography.Paragraph type="secondary">
                      {t('request.designer.versionHint')}
                      {(type.data?.forms ?? []).length > 1 && ` ${t('request.designer.history', { versions: (type.data?.forms ?? []).map((f) => `v${f.version}`).join(', ') })}`}
                    </Typography.Paragraph>
                  )}
                  <FormDesigner fields={fields} onChange={setFields} />
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
