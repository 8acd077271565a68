import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, type ButtonProps, Card, Flex, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CutoverStep } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { useExecuteStep, useSetCutover } from './use-changes.query';

const STEP_COLORS: Record<CutoverStep['state'], string> = { pending: 'default', running: 'processing', done: 'green', failed: 'red', skipped: 'default' };
const EDITABLE = new Set(['draft', 'assessment', 'cab_approval', 'ecab_approval', 'approved', 'scheduled']);

type Action = 'start' | 'done' | 'fail' | 'skip';

function PlanModal({ changeId, steps, open, onClose }: { changeId: number; steps: CutoverStep[]; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ steps: { title: string; ownerId: number | null; offsetMinutes: number; durationMinutes: number }[] }>();
  const save = useSetCutover(changeId);
  const [error, setError] = useState<string | null>(null);
  const ok = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync({ steps: (v.steps ?? []).map((s) => ({ title: s.title.trim(), ownerId: s.ownerId ?? null, offsetMinutes: s.offsetMinutes ?? 0, durationMinutes: s.durationMinutes ?? 0 })) });
      notifySuccess(t('change.cutover.saved'));
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal open={open} title={t('change.cutover.edit')} onCancel={onClose} onOk={() => void ok()} confirmLoading={save.isPending} width={760} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ steps: steps.map((s) => ({ title: s.title, ownerId: s.ownerId, offsetMinutes: s.offsetMinutes, durationMinutes: s.durationMinutes })) }}>
        <Form.List name="steps">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="start" wrap>
                  <Typography.Text style={{ paddingTop: 5, width: 20 }}>{i + 1}</Typography.Text>
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: t('change.form.stepTitle') }]} style={{ flex: 2, minWidth: 160 }}>
                    <Input placeholder={t('change.form.stepTitle')} data-testid={`plan-step-title-${i}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'ownerId']} style={{ flex: 1, minWidth: 150 }}>
                    <UserLookupSelect placeholder={t('change.form.stepOwner')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'offsetMinutes']}>
                    <InputNumber min={0} placeholder={t('change.form.stepOffset')} style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'durationMinutes']}>
                    <InputNumber min={0} placeholder={t('change.form.stepDuration')} style={{ width: 100 }} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" />
                </Flex>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ title: '', ownerId: null, offsetMinutes: 0, durationMinutes: 0 })} data-testid="plan-add-step">
                {t('change.form.addStep')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** The cutover (割接) checklist: planned steps, and step-by-step execution with results while implementing. */
export function CutoverCard({ changeId, state, steps, plannedStart }: { changeId: number; state: string; steps: CutoverStep[]; plannedStart: string | null }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const exec = useExecuteStep(changeId);
  const [pending, setPending] = useState<{ step: CutoverStep; action: Action } | null>(null);
  const [result, setResult] = useState('');
  const [planning, setPlanning] = useState(false);
  const implementing = state === 'implementing';
  const mayRun = implementing && can('change.implement');
  const firstOpen = steps.find((s) => s.state !== 'done' && s.state !== 'skipped');

  const run = async (step: CutoverStep, action: Action, text?: string) => {
    try {
      await exec.mutateAsync({ stepId: step.id, body: { action, ...(text ? { result: text } : {}) } });
      setPending(null);
      setResult('');
    } catch (err) {
      Modal.error({ title: errorText(err) });
    }
  };

  const plannedAt = (s: CutoverStep) => {
    if (!plannedStart) return `+${s.offsetMinutes}′`;
    return formatDateTime(new Date(new Date(plannedStart).getTime() + s.offsetMinutes * 60_000).toISOString());
  };

  return (
    <Card
      title={t('change.cutover.title')}
      data-testid="cutover-card"
      extra={
        can('change.manage') &&
        EDITABLE.has(state) && (
          <Button size="small" onClick={() => setPlanning(true)} data-testid="cutover-edit">
            {t('change.cutover.edit')}
          </Button>
        )
      }
      style={{ marginBottom: 16 }}
    >
      {!implementing && steps.length > 0 && <Typography.Paragraph type="secondary">{t('change.cutover.onlyImplementing')}</Typography.Paragraph>}
      <Table<CutoverStep>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={steps}
        locale={{ emptyText: t('change.cutover.none') }}
        onRow={(r) => testId<HTMLAttributes<HTMLElement>>(`cutover-row-${r.position}`)}
        columns={[
          { title: t('change.cutover.position'), dataIndex: 'position', width: 40 },
          { title: t('change.cutover.step'), dataIndex: 'title' },
          { title: t('change.cutover.owner'), render: (_v, r) => r.ownerName ?? t('common.none'), width: 110 },
          { title: t('change.cutover.planned'), render: (_v, r) => `${plannedAt(r)} · ${r.durationMinutes}′`, width: 170 },
          {
            title: t('change.cutover.state'),
            width: 90,
            render: (_v, r) => (
              <Tag color={STEP_COLORS[r.state]} data-testid={`cutover-state-${r.position}`} data-state={r.state}>
                {t(`change.cutover.states.${r.state}`)}
              </Tag>
            ),
          },
          {
            title: t('change.cutover.result'),
            render: (_v, r) => (
              <Space direction="vertical" size={0}>
                {r.result && <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.result}</Typography.Text>}
                {r.executedByName && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.executedByName} {formatDateTime(r.finishedAt ?? r.startedAt)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            width: 150,
            render: (_v, r) =>
              mayRun &&
              firstOpen?.id === r.id && (
                <Space size={4} wrap>
                  {r.state === 'pending' && (
                    <>
                      <Button size="small" type="primary" loading={exec.isPending} onClick={() => void run(r, 'start')} data-testid={`cutover-start-${r.position}`}>
                        {t('change.cutover.start')}
                      </Button>
                      <Button size="small" onClick={() => setPending({ step: r, action: 'skip' })} data-testid={`cutover-skip-${r.position}`}>
                        {t('change.cutover.skip')}
                      </Button>
                    </>
                  )}
                  {r.state === 'running' && (
                    <>
                      <Button size="small" type="primary" onClick={() => setPending({ step: r, action: 'done' })} data-testid={`cutover-done-${r.position}`}>
                        {t('change.cutover.done')}
                      </Button>
                      <Button size="small" danger onClick={() => setPending({ step: r, action: 'fail' })} data-testid={`cutover-fail-${r.position}`}>
                        {t('change.cutover.fail')}
                      </Button>
                    </>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={pending !== null}
        title={t('change.cutover.resultTitle')}
        onCancel={() => setPending(null)}
        onOk={() => pending && result.trim() && void run(pending.step, pending.action, result.trim())}
        okButtonProps={testId<ButtonProps>('cutover-result-ok', { disabled: !result.trim(), danger: pending?.action === 'fail' })}
        confirmLoading={exec.isPending}
        destroyOnHidden
      >
        <Typography.Paragraph strong>{pending?.step.title}</Typography.Paragraph>
        <Input.TextArea rows={3} value={result} onChange={(e) => setResult(e.target.value)} placeholder={t('change.cutover.resultPlaceholder')} maxLength={5000} data-testid="cutover-result" />
      </Modal>
      {planning && <PlanModal changeId={changeId} steps={steps} open={planning} onClose={() => setPlanning(false)} />}
    </Card>
  );
}
