import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, type ButtonProps, Card, Col, DatePicker, Descriptions, Empty, Flex, Form, Input, Modal, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ChangeDetail, RiskAnswers } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { CiMultiPicker } from '../cmdb/ci-picker.component';
import { TicketApprovalsCard } from '../approvals/ticket-approvals.card';
import { StateTag } from '../workflows/state-tag.component';
import { WorkflowActions } from '../workflows/workflow-actions.component';
import { ChangeTypeTag, RiskTag, useChangeStateLabel, useConflictText } from './change-labels.component';
import { CutoverCard } from './cutover-card.component';
import { RiskQuestionnaire } from './risk-questionnaire.component';
import { useChange, useChangeEvents, useUpdateChange } from './use-changes.query';
import { IncidentTimeline, type NameDirectory } from '../incidents/components/incident-timeline.component';

const EDITABLE = new Set(['draft', 'assessment']);

type EditValues = {
  reason: string;
  scope: string;
  implementationPlan: string;
  testPlan: string;
  rollbackPlan: string;
  plannedStart: Dayjs | null;
  plannedEnd: Dayjs | null;
  ciIds: number[];
  riskAnswers: Partial<RiskAnswers>;
};

/** Revises a change while it is prepared (draft, assessment): plans, window, CIs, risk. */
function EditModal({ detail, open, onClose }: { detail: ChangeDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditValues>();
  const update = useUpdateChange(detail.ticket.id);
  const [error, setError] = useState<string | null>(null);
  const answers = Form.useWatch('riskAnswers', form);
  const c = detail.change;
  const ok = async () => {
    const v = await form.validateFields();
    try {
      await update.mutateAsync({
        version: c.version,
        reason: v.reason ?? '',
        scope: v.scope ?? '',
        implementationPlan: v.implementationPlan ?? '',
        testPlan: v.testPlan ?? '',
        rollbackPlan: v.rollbackPlan ?? '',
        plannedStart: v.plannedStart ? v.plannedStart.toISOString() : null,
        plannedEnd: v.plannedEnd ? v.plannedEnd.toISOString() : null,
        ciIds: v.ciIds ?? [],
        ...(v.riskAnswers && Object.keys(v.riskAnswers).length === 6 ? { riskAnswers: v.riskAnswers as RiskAnswers } : {}),
      });
      notifySuccess(t('change.saved'));
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal open={open} title={t('change.detail.editTitle')} onCancel={onClose} onOk={() => void ok()} okButtonProps={testId<ButtonProps>('change-edit-ok')} confirmLoading={update.isPending} width={820} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="change-edit-error" />}
      <Form<EditValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          reason: c.reason,
          scope: c.scope,
          implementationPlan: c.implementationPlan,
          testPlan: c.testPlan,
          rollbackPlan: c.rollbackPlan,
          plannedStart: c.plannedStart ? dayjs(c.plannedStart) : null,
          plannedEnd: c.plannedEnd ? dayjs(c.plannedEnd) : null,
          ciIds: detail.cis.map((x) => x.id),
          riskAnswers: c.riskAnswers ?? {},
        }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="reason" label={t('change.field.reason')}>
              <Input.TextArea rows={2} data-testid="edit-reason" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="scope" label={t('change.field.scope')}>
              <Input.TextArea rows={2} data-testid="edit-scope" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="implementationPlan" label={t('change.field.implementationPlan')}>
          <Input.TextArea rows={3} data-testid="edit-implementation-plan" />
        </Form.Item>
        <Form.Item name="testPlan" label={t('change.field.testPlan')}>
          <Input.TextArea rows={2} data-testid="edit-test-plan" />
        </Form.Item>
        <Form.Item name="rollbackPlan" label={t('change.field.rollbackPlan')} rules={[{ required: true, whitespace: true, message: t('change.form.rollbackRequired') }]}>
          <Input.TextArea rows={3} data-testid="edit-rollback-plan" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="plannedStart" label={t('change.field.plannedStart')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="edit-planned-start" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="plannedEnd" label={t('change.field.plannedEnd')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="edit-planned-end" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="ciIds" label={t('change.field.cis')}>
          <CiMultiPicker known={detail.cis} placeholder={t('change.form.ciPlaceholder')} testId="edit-cis" />
        </Form.Item>
        <RiskQuestionnaire answers={answers} />
      </Form>
    </Modal>
  );
}

/** A change: fields, impacted services, conflicts as warnings, cutover execution, approvals and workflow actions. */
export function ChangeDetailPage() {
  const { id } = useParams();
  const changeId = Number(id);
  const { t } = useTranslation();
  const { can } = useAuth();
  const detail = useChange(changeId);
  const events = useChangeEvents(changeId, detail.data !== undefined);
  const conflictText = useConflictText();
  const stateLabel = useChangeStateLabel();
  const [editing, setEditing] = useState(false);

  if (detail.isLoading) return <Skeleton active />;
  if (detail.isError || !detail.data) return <Result status="404" title={t('change.notFound')} subTitle={detail.error ? errorText(detail.error) : undefined} />;
  const d = detail.data;
  const { ticket, change: c } = d;
  const editable = can('change.manage') && EDITABLE.has(ticket.state);
  const users = new Map<number, string>();
  for (const e of events.data ?? []) if (e.actorId && e.actorName) users.set(e.actorId, e.actorName);
  if (ticket.assigneeId && ticket.assigneeName) users.set(ticket.assigneeId, ticket.assigneeName);
  const groups = new Map<number, string>();
  if (ticket.assignmentGroupId && ticket.assignmentGroupName) groups.set(ticket.assignmentGroupId, ticket.assignmentGroupName);
  const names: NameDirectory = { users, groups };

  return (
    <>
      <Flex wrap justify="space-between" align="center" gap={8} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {ticket.title}
          </Typography.Title>
          <Typography.Text type="secondary" copyable data-testid="change-number">
            {ticket.number}
          </Typography.Text>
          <StateTag ticket={ticket} testId="change-state" />
          <ChangeTypeTag type={c.changeType} />
          <RiskTag level={c.riskLevel} testId="change-risk" />
        </Space>
        <WorkflowActions
          ticket={ticket}
          onDone={() => {
            void detail.refetch();
            void events.refetch();
          }}
          onConflict={() => void detail.refetch()}
          extra={
            editable && (
              <Button onClick={() => setEditing(true)} data-testid="change-edit">
                {t('change.detail.edit')}
              </Button>
            )
          }
        />
      </Flex>
      {d.conflicts.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('change.conflict.count', { count: d.conflicts.length })}
          data-testid="change-conflicts"
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {d.conflicts.map((x, i) => (
                <li key={i} data-testid={`conflict-${x.kind}`}>
                  {x.kind === 'ci_overlap' || x.kind === 'service_overlap' ? <Link to={`/changes/${x.changeId}`}>{conflictText(x)}</Link> : conflictText(x)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions column={1} bordered size="small" data-testid="change-fields">
              {c.templateName ? <Descriptions.Item label={t('change.field.template')}>{c.templateName}</Descriptions.Item> : null}
              <Descriptions.Item label={t('change.field.reason')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{c.reason || t('common.none')}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('change.field.scope')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{c.scope || t('common.none')}</span>
              </Descriptions.Item>
              {ticket.description ? (
                <Descriptions.Item label={t('change.field.description')}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{ticket.description}</span>
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          <Card title={t('change.detail.plans')} style={{ marginBottom: 16 }}>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('change.field.implementationPlan')}>
                <span style={{ whiteSpace: 'pre-wrap' }} data-testid="change-implementation-plan">
                  {c.implementationPlan || t('common.none')}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('change.field.testPlan')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{c.testPlan || t('common.none')}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('change.field.rollbackPlan')}>
                <span style={{ whiteSpace: 'pre-wrap' }} data-testid="change-rollback-plan">
                  {c.rollbackPlan}
                </span>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <CutoverCard changeId={ticket.id} state={ticket.state} steps={d.cutover} plannedStart={c.plannedStart} />
          <Card size="small" title={t('change.detail.timeline')} data-testid="change-timeline">
            <IncidentTimeline events={events.data} loading={events.isFetching} names={names} />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small" data-testid="change-schedule">
              <Descriptions.Item label={t('change.field.plannedStart')}>{formatDateTime(c.plannedStart) || t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('change.field.plannedEnd')}>{formatDateTime(c.plannedEnd) || t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('change.field.actualStart')}>{formatDateTime(c.actualStart) || t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('change.field.actualEnd')}>{formatDateTime(c.actualEnd) || t('common.none')}</Descriptions.Item>
              {c.outcome ? <Descriptions.Item label={t('change.field.outcome')}>{stateLabel(c.outcome)}</Descriptions.Item> : null}
              <Descriptions.Item label={t('change.field.outageExpected')}>
                {c.outageExpected ? `${t('common.yes')}${c.outageMinutes !== null ? ` · ${c.outageMinutes}′` : ''}` : t('common.no')}
              </Descriptions.Item>
              <Descriptions.Item label={t('change.riskScore')}>{c.riskScore}</Descriptions.Item>
              <Descriptions.Item label={t('change.field.org')}>{ticket.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('change.field.assignee')}>{ticket.assigneeName ?? t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('change.field.createdAt')}>{formatDateTime(ticket.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t('change.detail.impact')} style={{ marginBottom: 16 }} data-testid="change-impact">
            <Typography.Text strong>{t('change.field.cis')}</Typography.Text>
            <div style={{ margin: '8px 0 12px' }}>
              {d.cis.length ? (
                <Space wrap>
                  {d.cis.map((x) => (
                    <Link key={x.id} to={`/cmdb/cis/${x.id}`}>
                      <Tag data-testid={`change-ci-${x.id}`}>
                        {x.name} · {x.className}
                      </Tag>
                    </Link>
                  ))}
                </Space>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </div>
            <Typography.Text strong>{t('change.field.services')}</Typography.Text>
            <div style={{ marginTop: 8 }} data-testid="change-services">
              {d.services.length ? (
                <Space wrap>
                  {d.services.map((x) => (
                    <Tag key={x.id} color="purple">
                      {x.name}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('change.form.servicesNone')}</Typography.Text>
              )}
            </div>
          </Card>
          <TicketApprovalsCard ticketId={ticket.id} />
        </Col>
      </Row>
      {editing && <EditModal detail={d} open={editing} onClose={() => setEditing(false)} />}
    </>
  );
}
