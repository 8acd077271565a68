import { useState } from 'react';
import { Button, Card, Empty, Flex, Space, Spin, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalDecision, ApprovalRun, ApprovalStepView } from '@tianshu/contracts';
import { useMe } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { localized } from '../workflows/workflow-labels';
import { ruleLabel, runStateColor, runStateLabel, taskStateColor, taskStateLabel } from './approval-format';
import { DecideModal, DelegateModal } from './decide-modal.component';
import { useDecide } from './use-approvals.mutation';
import { useSubjectApprovals, type ApprovalSource } from './use-approvals.query';

const STEP_STATUS: Record<ApprovalStepView['state'], 'wait' | 'process' | 'finish' | 'error'> = {
  pending: 'process',
  waiting: 'wait',
  approved: 'finish',
  rejected: 'error',
  cancelled: 'wait',
};

function StepTasks({ step, myId, onDecide, onDelegate }: { step: ApprovalStepView; myId: number; onDecide: (taskId: number, d: ApprovalDecision) => void; onDelegate: (taskId: number) => void }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={4} style={{ marginTop: 4 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {ruleLabel(t, step.rule)}
      </Typography.Text>
      {step.tasks.map((task) => (
        <div key={task.id} data-testid={`approval-task-${task.id}`} data-state={task.state}>
          <Space size={6} wrap>
            <Typography.Text>{task.approverName}</Typography.Text>
            <Tag color={taskStateColor(task.state)}>{taskStateLabel(t, task.state)}</Tag>
            {task.decidedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(task.decidedAt)}</Typography.Text>}
            {task.state === 'pending' && task.approverId === myId && (
              <>
                <Button size="small" type="primary" onClick={() => onDecide(task.id, 'approve')} data-testid="approval-approve">
                  {t('approval.approve')}
                </Button>
                <Button size="small" danger onClick={() => onDecide(task.id, 'reject')} data-testid="approval-reject">
                  {t('approval.reject')}
                </Button>
                <Button size="small" onClick={() => onDelegate(task.id)} data-testid="approval-delegate">
                  {t('approval.delegate')}
                </Button>
              </>
            )}
          </Space>
          {task.comment && (
            <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', whiteSpace: 'pre-wrap' }}>
              {task.comment}
            </Typography.Paragraph>
          )}
        </div>
      ))}
    </Flex>
  );
}

function RunView({ run, myId, onDecide, onDelegate }: { run: ApprovalRun; myId: number; onDecide: (taskId: number, d: ApprovalDecision) => void; onDelegate: (taskId: number) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div data-testid={`approval-run-${run.id}`} data-state={run.state} style={{ marginBottom: 16 }}>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{localized(run.label, i18n.language)}</Typography.Text>
        <Tag>{t('approval.round', { round: run.round })}</Tag>
        <Tag color={runStateColor(run.state)} data-testid="approval-run-state">
          {runStateLabel(t, run.state)}
        </Tag>
        {run.requestedByName && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('approval.requestedBy', { name: run.requestedByName })} · {formatDateTime(run.createdAt)}
          </Typography.Text>
        )}
      </Flex>
      <Steps
        orientation="vertical"
        size="small"
        current={run.currentStep}
        items={run.steps.map((step) => ({
          title: `${localized(step.label, i18n.language)} · ${t(`approval.stepState.${step.state}`)}`,
          status: STEP_STATUS[step.state],
          content: <StepTasks step={step} myId={myId} onDecide={onDecide} onDelegate={onDelegate} />,
        }))}
      />
    </div>
  );
}

/** The approval runs of a ticket (newest first) with approve / reject / delegate for the signed-in approver. */
export function TicketApprovalsCard({ ticketId }: { ticketId: number }) {
  return <ApprovalsCard source={{ kind: 'ticket', id: ticketId }} />;
}

/** The approval runs of any subject (a ticket, a repair order's cost approval). */
export function ApprovalsCard({ source }: { source: ApprovalSource }) {
  const { t } = useTranslation();
  const me = useMe();
  const approvals = useSubjectApprovals(source);
  const decide = useDecide();
  const [pending, setPending] = useState<{ taskId: number; decision: ApprovalDecision } | null>(null);
  const [delegateTask, setDelegateTask] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runs = approvals.data?.items ?? [];
  if (!approvals.isLoading && runs.length === 0) return null;
  return (
    <Card title={t('approval.cardTitle')} size="small" data-testid="ticket-approvals-card" style={{ marginBottom: 16 }}>
      {approvals.isLoading ? (
        <Spin />
      ) : runs.length === 0 ? (
        <Empty description={t('approval.cardEmpty')} />
      ) : (
        runs.map((run) => (
          <RunView
            key={run.id}
            run={run}
            myId={me.id}
            onDecide={(taskId, decision) => {
              setError(null);
              setPending({ taskId, decision });
            }}
            onDelegate={setDelegateTask}
          />
        ))
      )}
      <DecideModal
        decision={pending?.decision ?? null}
        loading={decide.isPending}
        error={error}
        onCancel={() => setPending(null)}
        onSubmit={(comment) => {
          if (!pending) return;
          decide.mutate(
            { ...pending, comment },
            {
              onSuccess: () => {
                notifySuccess(t('approval.decided'));
                setPending(null);
              },
              onError: (e) => setError(errorText(e)),
            },
          );
        }}
      />
      <DelegateModal taskId={delegateTask} onClose={() => setDelegateTask(null)} />
    </Card>
  );
}
