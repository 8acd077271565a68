import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, type ButtonProps, Card, Checkbox, Col, DatePicker, Form, Input, Modal, Popconfirm, Radio, Row, Select, Space, Switch, Table, Tabs, Tag, TimePicker, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ChangeTemplate, ChangeWindow, ChangeWindowKind } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useCiClasses, useCis } from '../cmdb/use-cmdb.query';
import { useChangeTemplates, useChangeWindows, useDeleteWindow, useSaveTemplate, useSaveWindow } from './use-changes.query';

type WindowForm = {
  kind: ChangeWindowKind;
  name: string;
  serviceId: number | null;
  startsAt: Dayjs;
  endsAt: Dayjs | null;
  recurring: boolean;
  weekdays: number[];
  start: Dayjs | null;
  end: Dayjs | null;
  timeZone: string;
  note: string;
};

/** Business services (CIs of class business_service) to pick from. */
function ServiceSelect({ value, onChange, allowGlobal }: { value?: number | null; onChange?: (v: number | null) => void; allowGlobal: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const classes = useCiClasses();
  const classId = classes.data?.find((c) => c.key === 'business_service')?.id;
  const list = useCis({ classId, q: q || undefined, pageSize: 50 }, classId !== undefined);
  return (
    <Select<number | null>
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear={allowGlobal}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={allowGlobal ? t('change.windows.serviceGlobal') : t('change.windows.servicePlaceholder')}
      options={(list.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
      optionRender={(o) => <span data-testid={`window-service-option-${o.value}`}>{o.label}</span>}
      data-testid="window-service"
    />
  );
}

function WindowModal({ window: w, open, onClose }: { window: ChangeWindow | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<WindowForm>();
  const save = useSaveWindow();
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? w?.kind ?? 'blackout';
  const recurring = Form.useWatch('recurring', form) ?? false;
  const weekdayNames = t('change.windows.weekdayNames', { returnObjects: true }) as string[];
  const ok = async () => {
    const v = await form.validateFields();
    const recurrence =
      v.kind === 'maintenance' && v.recurring && v.start && v.end ? { weekdays: v.weekdays, start: v.start.format('HH:mm'), end: v.end.format('HH:mm'), timeZone: v.timeZone || 'Asia/Shanghai' } : null;
    const common = { name: v.name, serviceId: v.serviceId ?? null, startsAt: v.startsAt.toISOString(), endsAt: v.endsAt ? v.endsAt.toISOString() : null, recurrence, note: v.note ?? '' };
    try {
      await save.mutateAsync(w ? { id: w.id, body: { version: w.version, ...common } } : { id: null, body: { kind: v.kind, ...common } });
      notifySuccess(t('change.windows.saved'));
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal open={open} title={w ? t('change.windows.editTitle') : t('change.windows.createTitle')} onCancel={onClose} onOk={() => void ok()} okButtonProps={testId<ButtonProps>('window-ok')} confirmLoading={save.isPending} width={640} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="window-error" />}
      <Form<WindowForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          kind: w?.kind ?? 'blackout',
          name: w?.name ?? '',
          serviceId: w?.serviceId ?? null,
          startsAt: w ? dayjs(w.startsAt) : undefined,
          endsAt: w?.endsAt ? dayjs(w.endsAt) : null,
          recurring: !!w?.recurrence,
          weekdays: w?.recurrence?.weekdays ?? [6],
          start: w?.recurrence ? dayjs(`2000-01-01T${w.recurrence.start}`) : dayjs('2000-01-01T00:00'),
          end: w?.recurrence ? dayjs(`2000-01-01T${w.recurrence.end}`) : dayjs('2000-01-01T06:00'),
          timeZone: w?.recurrence?.timeZone ?? 'Asia/Shanghai',
          note: w?.note ?? '',
        }}
      >
        <Form.Item name="kind" label={t('change.windows.kind')}>
          <Radio.Group disabled={!!w} options={(['blackout', 'maintenance'] as const).map((k) => ({ value: k, label: t(`change.windows.kinds.${k}`) }))} data-testid="window-kind" />
        </Form.Item>
        <Form.Item name="name" label={t('change.windows.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={120} data-testid="window-name" />
        </Form.Item>
        <Form.Item name="serviceId" label={t('change.windows.service')} rules={kind === 'maintenance' ? [{ required: true }] : []}>
          <ServiceSelect allowGlobal={kind === 'blackout'} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="startsAt" label={t('change.windows.startsAt')} rules={[{ required: true }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="window-starts" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="endsAt" label={t('change.windows.endsAt')} rules={kind === 'blackout' || !recurring ? [{ required: true }] : []} extra={recurring ? t('change.windows.endsAtOpen') : undefined}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="window-ends" />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'maintenance' && (
          <>
            <Form.Item name="recurring" label={t('change.windows.recurring')} valuePropName="checked">
              <Switch data-testid="window-recurring" />
            </Form.Item>
            {recurring && (
              <>
                <Form.Item name="weekdays" label={t('change.windows.weekdays')} rules={[{ required: true, type: 'array', min: 1 }]}>
                  <Checkbox.Group options={weekdayNames.map((n, i) => ({ value: i + 1, label: n }))} />
                </Form.Item>
                <Space>
                  <Form.Item name="start" label={t('change.windows.timeRange')} rules={[{ required: true }]}>
                    <TimePicker format="HH:mm" minuteStep={5} />
                  </Form.Item>
                  <Form.Item name="end" label=" " rules={[{ required: true }]}>
                    <TimePicker format="HH:mm" minuteStep={5} />
                  </Form.Item>
                  <Form.Item name="timeZone" label={t('change.windows.timeZone')}>
                    <Input style={{ width: 160 }} />
                  </Form.Item>
                </Space>
              </>
            )}
          </>
        )}
        <Form.Item name="note" label={t('change.windows.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type TemplateForm = { name: string; description: string; active: boolean; reason: string; implementationPlan: string; testPlan: string; rollbackPlan: string; steps: string };

function TemplateModal({ template, open, onClose }: { template: ChangeTemplate | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TemplateForm>();
  const save = useSaveTemplate();
  const [error, setError] = useState<string | null>(null);
  const d = template?.defaults;
  const ok = async () => {
    const v = await form.validateFields();
    const defaults = {
      ...(d ?? {}),
      reason: v.reason ?? '',
      implementationPlan: v.implementationPlan ?? '',
      testPlan: v.testPlan ?? '',
      rollbackPlan: v.rollbackPlan ?? '',
      cutoverSteps: (v.steps ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((title) => ({ title })),
    };
    try {
      await save.mutateAsync(
        template
          ? { id: template.id, body: { version: template.version, name: v.name, description: v.description ?? '', active: v.active, defaults } }
          : { id: null, body: { name: v.name, description: v.description ?? '', active: v.active, defaults } },
      );
      notifySuccess(t('change.templates.saved'));
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal open={open} title={template ? t('change.templates.editTitle') : t('change.templates.createTitle')} onCancel={onClose} onOk={() => void ok()} confirmLoading={save.isPending} width={720} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form<TemplateForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          name: template?.name ?? '',
          description: template?.description ?? '',
          active: template?.active ?? true,
          reason: d?.reason ?? '',
          implementationPlan: d?.implementationPlan ?? '',
          testPlan: d?.testPlan ?? '',
          rollbackPlan: d?.rollbackPlan ?? '',
          steps: (d?.cutoverSteps ?? []).map((s) => s.title).join('\n'),
        }}
      >
        <Form.Item name="name" label={t('change.templates.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={120} data-testid="template-name" />
        </Form.Item>
        <Form.Item name="description" label={t('change.templates.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="active" label={t('change.templates.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="reason" label={t('change.field.reason')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="implementationPlan" label={t('change.field.implementationPlan')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="testPlan" label={t('change.field.testPlan')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="rollbackPlan" label={t('change.field.rollbackPlan')} rules={[{ required: true, whitespace: true, message: t('change.form.rollbackRequired') }]}>
          <Input.TextArea rows={3} data-testid="template-rollback" />
        </Form.Item>
        <Form.Item name="steps" label={t('change.templates.steps')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Blackout / maintenance windows and standard change templates (change.calendar.manage). */
export function ChangeWindowsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const manage = can('change.calendar.manage');
  const windows = useChangeWindows();
  const templates = useChangeTemplates(false);
  const del = useDeleteWindow();
  const [editWindow, setEditWindow] = useState<ChangeWindow | null | 'new'>(null);
  const [editTemplate, setEditTemplate] = useState<ChangeTemplate | null | 'new'>(null);
  const weekdayNames = t('change.windows.weekdayNames', { returnObjects: true }) as string[];

  return (
    <>
      <PageHeader title={t('change.navWindows')} testId="page-title" />
      <Tabs
        items={[
          {
            key: 'windows',
            label: t('change.windows.title'),
            children: (
              <Card
                extra={
                  manage && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditWindow('new')} data-testid="window-new">
                      {t('change.windows.create')}
                    </Button>
                  )
                }
              >
                <Table<ChangeWindow>
                  rowKey="id"
                  loading={windows.isFetching}
                  dataSource={windows.data ?? []}
                  locale={{ emptyText: t('change.windows.empty') }}
                  onRow={(r) => testId<HTMLAttributes<HTMLElement>>(`window-row-${r.id}`)}
                  pagination={false}
                  columns={[
                    { title: t('change.windows.kind'), width: 120, render: (_v, r) => <Tag color={r.kind === 'blackout' ? 'red' : 'green'}>{t(`change.windows.kinds.${r.kind}`)}</Tag> },
                    { title: t('change.windows.name'), dataIndex: 'name' },
                    { title: t('change.windows.service'), render: (_v, r) => r.serviceName ?? t('change.windows.serviceGlobal') },
                    {
                      title: t('change.windows.timeRange'),
                      render: (_v, r) =>
                        r.recurrence ? (
                          <Typography.Text>
                            {r.recurrence.weekdays.map((d) => weekdayNames[d - 1]).join('、')} {r.recurrence.start}-{r.recurrence.end} ({r.recurrence.timeZone})
                          </Typography.Text>
                        ) : (
                          `${formatDateTime(r.startsAt)} ~ ${formatDateTime(r.endsAt)}`
                        ),
                    },
                    {
                      title: t('common.actions'),
                      width: 140,
                      render: (_v, r) =>
                        manage && (
                          <Space size={4}>
                            <Button size="small" onClick={() => setEditWindow(r)}>
                              {t('common.edit')}
                            </Button>
                            <Popconfirm
                              title={t('change.windows.deleteConfirm')}
                              onConfirm={() =>
                                del.mutateAsync(r.id).then(
                                  () => notifySuccess(t('change.windows.deleted')),
                                  (err: unknown) => Modal.error({ title: errorText(err) }),
                                )
                              }
                            >
                              <Button size="small" danger>
                                {t('common.delete')}
                              </Button>
                            </Popconfirm>
                          </Space>
                        ),
                    },
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'templates',
            label: t('change.windows.templates'),
            children: (
              <Card
                extra={
                  manage && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditTemplate('new')} data-testid="template-new">
                      {t('change.templates.create')}
                    </Button>
                  )
                }
              >
                <Table<ChangeTemplate>
                  rowKey="id"
                  loading={templates.isFetching}
                  dataSource={templates.data ?? []}
                  locale={{ emptyText: t('change.templates.empty') }}
                  pagination={false}
                  columns={[
                    { title: t('change.templates.name'), dataIndex: 'name' },
                    { title: t('change.templates.description'), dataIndex: 'description' },
                    { title: t('change.form.cutoverSteps'), render: (_v, r) => r.defaults.cutoverSteps.length },
                    { title: t('change.templates.active'), render: (_v, r) => (r.active ? t('common.yes') : t('common.no')) },
                    {
                      title: t('common.actions'),
                      width: 100,
                      render: (_v, r) =>
                        manage && (
                          <Button size="small" onClick={() => setEditTemplate(r)}>
                            {t('common.edit')}
                          </Button>
                        ),
                    },
                  ]}
                />
              </Card>
            ),
          },
        ]}
      />
      {editWindow !== null && <WindowModal window={editWindow === 'new' ? null : editWindow} open onClose={() => setEditWindow(null)} />}
      {editTemplate !== null && <TemplateModal template={editTemplate === 'new' ? null : editTemplate} open onClose={() => setEditTemplate(null)} />}
    </>
  );
}
