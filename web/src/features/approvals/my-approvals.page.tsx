import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, Button, Card, Segmented, Table, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApprovalDecision, MyApprovalItem } from '@tianshu/contracts';
import { errorText, notifySuccess, notifyWarning } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { localized } from '../workflows/workflow-labels';
import { ageText, taskStateColor, taskStateLabel, ticketPath } from './approval-format';
import { DecideModal, DelegateModal } from './decide-modal.component';
import { useDecide, useDecideMany } from './use-approvals.mutation';
import { useMyApprovals } from './use-approvals.query';

type Tab = 'pending' | 'decided';

/** The signed-in user's approval tasks: pending ones (oldest first) with batch approve / reject, and decided ones. */
export function MyApprovalsPage() {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<Tab>('pending');
  const list = useMyApprovals(tab);
  const [selected, setSelected] = useState<number[]>([]);
  const [batch, setBatch] = useState<ApprovalDecision | null>(null);
  const [single, setSingle] = useState<{ taskId: number; decision: ApprovalDecision } | null>(null);
  const [delegateTask, setDelegateTask] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decideMany = useDecideMany();
  const decide = useDecide();
  const items = list.data?.items ?? [];
  const lang = i18n.language;

  const columns = [
    {
      key: 'ticket',
      title: t('approval.ticket'),
      render: (_: unknown, r: MyApprovalItem) => (
        <div>
          <Link to={ticketPath(r.ticket.type, r.ticket.id)} data-testid={`approval-ticket-${r.taskId}`}>
            {r.ticket.number}
          </Link>
          <div>
            <Typography.Text>{r.ticket.title}</Typography.Text>
          </div>
        </div>
      ),
    },
    { key: 'requester', title: t('approval.requester'), render: (_: unknown, r: MyApprovalItem) => r.ticket.requesterName ?? '—' },
    {
      key: 'approval',
      title: t('approval.approval'),
      render: (_: unknown, r: MyApprovalItem) => (
        <div>
          {localized(r.approvalLabel, lang)} <Tag>{t('approval.round', { round: r.round })}</Tag>
          <div>
            <Typography.Text type="secondary">
              {t('common.labelColon', { label: t('approval.step') })}
              {localized(r.stepLabel, lang)}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      key: 'age',
      title: tab === 'pending' ? t('approval.age') : t('approval.decidedAt'),
      render: (_: unknown, r: MyApprovalItem) => (tab === 'pending' ? ageText(t, r.ageMinutes) : formatDateTime(r.decidedAt)),
    },
    {
      key: 'state',
      title: t('approval.state'),
      render: (_: unknown, r: MyApprovalItem) => (
        <>
          <Tag color={taskStateColor(r.state)}>{taskStateLabel(t, r.state)}</Tag>
          {r.comment && <Typography.Text type="secondary">{r.comment}</Typography.Text>}
        </>
      ),
    },
    ...(tab === 'pending'
      ? [
          {
            key: 'actions',
            title: '',
            render: (_: unknown, r: MyApprovalItem) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                <Button size="small" type="link" onClick={() => setSingle({ taskId: r.taskId, decision: 'approve' })} data-testid={`approval-approve-${r.taskId}`}>
                  {t('approval.approve')}
                </Button>
                <Button size="small" type="link" danger onClick={() => setSingle({ taskId: r.taskId, decision: 'reject' })} data-testid={`approval-reject-${r.taskId}`}>
                  {t('approval.reject')}
                </Button>
                <Button size="small" type="link" onClick={() => setDelegateTask(r.taskId)} data-testid={`approval-delegate-${r.taskId}`}>
                  {t('approval.delegate')}
                </Button>
              </span>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={
          <>
            {t('approval.title')} <Badge count={list.data?.pendingCount ?? 0} data-testid="approval-pending-count" />
          </>
        }
        testId="page-title"
        extra={
          tab === 'pending' && (
            <>
              <Button icon={<CheckOutlined />} type="primary" disabled={selected.length === 0} onClick={() => setBatch('approve')} data-testid="approval-batch-approve">
                {t('approval.batchApprove', { count: selected.length })}
              </Button>
              <Button icon={<CloseOutlined />} danger disabled={selected.length === 0} onClick={() => setBatch('reject')} data-testid="approval-batch-reject">
                {t('approval.batchReject', { count: selected.length })}
              </Button>
            </>
          )
        }
      />
      <Card>
        <Segmented<Tab>
          value={tab}
          onChange={(v) => {
            setTab(v);
            setSelected([]);
          }}
          options={[
            { value: 'pending', label: t('approval.tabPending') },
            { value: 'decided', label: t('approval.tabDecided') },
          ]}
          style={{ marginBottom: 12 }}
          data-testid="approval-tabs"
        />
        <Table<MyApprovalItem>
          rowKey="taskId"
          size="middle"
          loading={list.isLoading}
          dataSource={items}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('approval.empty') }}
          rowSelection={tab === 'pending' ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)) } : undefined}
          onRow={(r) => testId(`approval-row-${r.taskId}`, {})}
          scroll={{ x: true }}
        />
      </Card>
      <DecideModal
        decision={batch}
        count={selected.length}
        loading={decideMany.isPending}
        error={error}
        onCancel={() => setBatch(null)}
        onSubmit={(comment) => {
          if (!batch) return;
          setError(null);
          decideMany.mutate(
            { taskIds: selected, decision: batch, comment },
            {
              onSuccess: (r) => {
                const ok = r.results.filter((x) => x.ok).length;
                const failed = r.results.length - ok;
                const text = t('approval.batchDone', { ok, failed });
                if (failed > 0) notifyWarning(`${text}: ${r.results.filter((x) => !x.ok).map((x) => x.message).join('; ')}`);
                else notifySuccess(text);
                setSelected([]);
                setBatch(null);
              },
              onError: (e) => setError(errorText(e)),
            },
          );
        }}
      />
      <DecideModal
        decision={single?.decision ?? null}
        loading={decide.isPending}
        error={error}
        onCancel={() => setSingle(null)}
        onSubmit={(comment) => {
          if (!single) return;
          setError(null);
          decide.mutate(
            { ...single, comment },
            {
              onSuccess: () => {
                notifySuccess(t('approval.decided'));
                setSelected((s) => s.filter((id) => id !== single.taskId));
                setSingle(null);
              },
              onError: (e) => setError(errorText(e)),
            },
          );
        }}
      />
      <DelegateModal taskId={delegateTask} onClose={() => setDelegateTask(null)} />
    </>
  );
}
