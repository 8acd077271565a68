import { useState, type HTMLAttributes } from 'react';
import { useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Modal, Result, Row, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RequestTask } from '@tianshu/contracts';
import { errorText } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { useGroups } from '../../shared/use-directory.query';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { TicketApprovalsCard } from '../approvals/ticket-approvals.card';
import { StateTag } from '../workflows/state-tag.component';
import { WorkflowActions } from '../workflows/workflow-actions.component';
import { localized } from '../workflows/workflow-labels';
import { RequestIcon } from './request-icon.component';
import { useCompleteTask, useRequest, useUpdateTask } from './use-requests.query';

const TASK_COLORS: Record<RequestTask['state'], string> = { open: 'blue', done: 'green', cancelled: 'default' };

function CompleteTaskModal({ requestId, task, outcome, onClose }: { requestId: number; task: RequestTask | null; outcome: 'done' | 'cancelled'; onClose: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const complete = useCompleteTask(requestId);
  const ok = async () => {
    if (!task) return;
    await complete.mutateAsync({ taskId: task.id, body: { version: task.version, outcome, ...(note.trim() ? { note: note.trim() } : {}) } });
    setNote('');
    onClose();
  };
  return (
    <Modal
      open={task !== null}
      title={outcome === 'done' ? t('request.task.completeTitle') : t('request.task.cancelTitle')}
      onCancel={onClose}
      onOk={() => void ok()}
      confirmLoading={complete.isPending}
      okButtonProps={{ danger: outcome === 'cancelled' }}
      okText={outcome === 'done' ? t('request.task.complete') : t('request.task.cancel')}
      destroyOnHidden
    >
      <Typography.Paragraph strong>{task?.title}</Typography.Paragraph>
      <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('request.task.notePlaceholder')} maxLength={2000} data-testid="task-note" />
    </Modal>
  );
}

function ReassignTaskModal({ requestId, task, onClose }: { requestId: number; task: RequestTask | null; onClose: () => void }) {
  const { t } = useTranslation();
  const groups = useGroups(task !== null);
  const update = useUpdateTask(requestId);
  const [groupId, setGroupId] = useState<number | null | undefined>(undefined);
  const [assigneeId, setAssigneeId] = useState<number | null | undefined>(undefined);
  const g = groupId === undefined ? (task?.groupId ?? null) : groupId;
  const a = assigneeId === undefined ? (task?.assigneeId ?? null) : assigneeId;
  const close = () => {
    setGroupId(undefined);
    setAssigneeId(undefined);
    onClose();
  };
  const ok = async () => {
    if (!task) return;
    await update.mutateAsync({ taskId: task.id, body: { version: task.version, groupId: g, assigneeId: a } });
    close();
  };
  return (
    <Modal open={task !== null} title={t('request.task.reassignTitle')} onCancel={close} onOk={() => void ok()} confirmLoading={update.isPending} destroyOnHidden>
      <Form layout="vertical" component="div">
        <Form.Item label={t('request.task.group')}>
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={g ?? undefined}
            onChange={(v) => {
              setGroupId(v ?? null);
              setAssigneeId(null);
            }}
            options={(groups.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
            data-testid="task-group"
          />
        </Form.Item>
        <Form.Item label={t('request.task.assignee')}>
          <UserLookupSelect value={a} onChange={setAssigneeId} groupId={g ?? undefined} currentLabel={task?.assigneeName ?? null} testId="task-assignee" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A request: its form values as submitted, the workflow actions, approvals and fulfilment tasks. */
export function RequestDetailPage() {
  const { id } = useParams();
  const requestId = Number(id);
  const { t, i18n } = useTranslation();
  const detail = useRequest(requestId);
  const [completing, setCompleting] = useState<{ task: RequestTask; outcome: 'done' | 'cancelled' } | null>(null);
  const [reassigning, setReassigning] = useState<RequestTask | null>(null);

  if (detail.isLoading) return <Skeleton active />;
  if (detail.isError || !detail.data) return <Result status="404" title={t('request.notFound')} subTitle={detail.error ? errorText(detail.error) : undefined} />;
  const { ticket, type, form, values, tasks } = detail.data;

  return (
    <>
      <Flex wrap justify="space-between" align="center" gap={8} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {ticket.title}
          </Typography.Title>
          <Typography.Text type="secondary" copyable data-testid="request-number">
            {ticket.number}
          </Typography.Text>
          <StateTag ticket={ticket} testId="request-state" />
        </Space>
        <WorkflowActions ticket={ticket} onDone={() => void detail.refetch()} />
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card
            title={
              <Space>
                <RequestIcon name={type.icon} />
                {localized(type.name, i18n.language)}
              </Space>
            }
            extra={<Typography.Text type="secondary">{t('request.formVersion', { version: form.version })}</Typography.Text>}
            style={{ marginBottom: 16 }}
          >
            <Descriptions column={1} bordered size="small" data-testid="request-values">
              {values.map((v) => (
                <Descriptions.Item key={v.key} label={localized(v.label, i18n.language)}>
                  <span data-testid={`request-value-${v.key}`} style={{ whiteSpace: 'pre-wrap' }}>
                    {v.display}
                  </span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          </Card>
          <Card title={t('request.task.title')} data-testid="request-tasks">
            {tasks.length === 0 ? (
              <Typography.Text type="secondary">{t('request.task.none')}</Typography.Text>
            ) : (
              <Table<RequestTask>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={tasks}
                onRow={(r) => testId<HTMLAttributes<HTMLElement>>(`task-row-${r.seq}`)}
                columns={[
                  { title: '#', dataIndex: 'seq', width: 40 },
                  { title: t('request.task.name'), dataIndex: 'title' },
                  { title: t('request.task.group'), render: (_v, r) => r.groupName ?? <Typography.Text type="secondary">{t('request.task.unassigned')}</Typography.Text> },
                  { title: t('request.task.assignee'), render: (_v, r) => r.assigneeName ?? t('common.none') },
                  {
                    title: t('request.task.state'),
                    render: (_v, r) => (
                      <Tag color={TASK_COLORS[r.state]} data-testid={`task-state-${r.seq}`} data-state={r.state}>
                        {t(`request.task.states.${r.state}`)}
                      </Tag>
                    ),
                  },
                  {
                    title: t('request.task.done'),
                    render: (_v, r) => (r.doneAt ? `${r.doneByName ?? ''} ${formatDateTime(r.doneAt)}` : t('common.none')),
                  },
                  {
                    title: t('common.actions'),
                    render: (_v, r) =>
                      r.canWork && (
                        <Space size={4} wrap>
                          <Button size="small" type="primary" onClick={() => setCompleting({ task: r, outcome: 'done' })} data-testid={`task-complete-${r.seq}`}>
                            {t('request.task.complete')}
                          </Button>
                          <Button size="small" onClick={() => setReassigning(r)} data-testid={`task-reassign-${r.seq}`}>
                            {t('request.task.reassign')}
                          </Button>
                          <Button size="small" danger type="text" onClick={() => setCompleting({ task: r, outcome: 'cancelled' })} data-testid={`task-cancel-${r.seq}`}>
                            {t('request.task.cancel')}
                          </Button>
                        </Space>
                      ),
                  },
                ]}
                expandable={{ rowExpandable: (r) => !!r.note, expandedRowRender: (r) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.note}</Typography.Text> }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('request.list.requester')}>{ticket.requesterName ?? t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('request.org')}>{ticket.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(ticket.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('common.updatedAt')}>{formatDateTime(ticket.updatedAt)}</Descriptions.Item>
              {ticket.resolutionNotes && <Descriptions.Item label={t('request.resolutionNotes')}>{ticket.resolutionNotes}</Descriptions.Item>}
            </Descriptions>
          </Card>
          {ticket.state === 'approval' && <Alert type="info" showIcon message={t('request.awaitingApproval')} style={{ marginBottom: 16 }} data-testid="request-awaiting-approval" />}
          <TicketApprovalsCard ticketId={ticket.id} />
        </Col>
      </Row>
      <CompleteTaskModal requestId={requestId} task={completing?.task ?? null} outcome={completing?.outcome ?? 'done'} onClose={() => setCompleting(null)} />
      <ReassignTaskModal requestId={requestId} task={reassigning} onClose={() => setReassigning(null)} />
    </>
  );
}
