import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Descriptions, Flex, Form, Input, Result, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalLinkDecideResult } from '@tianshu/contracts';
import { errorText } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { AuthCard } from '../auth/auth-card.component';
import { localized } from '../workflows/workflow-labels';
import { runStateLabel } from './approval-format';
import { useDecideByLink } from './use-approvals.mutation';
import { useApprovalLink } from './use-approvals.query';

/**
 * /approve/:token — opened from the approval e-mail, signed in or not. Shows what is to be decided
 * and decides only when the approver confirms (a GET never decides: mail scanners prefetch links).
 */
export function ApprovalLinkPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const info = useApprovalLink(token);
  const decide = useDecideByLink(token);
  const [done, setDone] = useState<ApprovalLinkDecideResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');

  let body;
  if (done) {
    body = (
      <Result
        status={done.decision === 'approve' ? 'success' : 'warning'}
        title={t(done.decision === 'approve' ? 'approval.link.doneApproved' : 'approval.link.doneRejected', { number: done.ticketNumber })}
        subTitle={t('approval.link.runState', { state: runStateLabel(t, done.runState) })}
        data-testid="approval-link-done"
      />
    );
  } else if (info.isLoading) {
    body = (
      <Flex justify="center">
        <Spin tip={t('approval.link.loading')} />
      </Flex>
    );
  } else if (info.isError || !info.data) {
    body = (
      <Result
        status="warning"
        title={t('approval.link.invalid')}
        subTitle={errorText(info.error)}
        extra={
          <Link to="/approvals">
            <Button type="primary">{t('approval.link.signIn')}</Button>
          </Link>
        }
        data-testid="approval-link-invalid"
      />
    );
  } else {
    const d = info.data;
    const approve = d.decision === 'approve';
    body = (
      <>
        <Typography.Paragraph strong>{t(approve ? 'approval.link.approveQuestion' : 'approval.link.rejectQuestion')}</Typography.Paragraph>
        <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('approval.ticket')}>
            <span data-testid="approval-link-ticket">
              {d.ticket.number} {d.ticket.title}
            </span>
          </Descriptions.Item>
          {d.ticket.requesterName && <Descriptions.Item label={t('approval.requester')}>{d.ticket.requesterName}</Descriptions.Item>}
          <Descriptions.Item label={t('approval.approval')}>
            {localized(d.approvalLabel, i18n.language)} · {t('approval.round', { round: d.round })}
          </Descriptions.Item>
          <Descriptions.Item label={t('approval.step')}>{localized(d.stepLabel, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t('approval.link.approver')}>{d.approverName}</Descriptions.Item>
          <Descriptions.Item label={t('approval.link.expires')}>{formatDateTime(d.expiresAt)}</Descriptions.Item>
        </Descriptions>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="approval-link-error" />}
        <Form layout="vertical">
          <Form.Item label={t('approval.comment')} required={!approve}>
            <Input.TextArea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('approval.commentPlaceholder')} data-testid="approval-link-comment" />
          </Form.Item>
        </Form>
        <Button
          type="primary"
          danger={!approve}
          block
          loading={decide.isPending}
          disabled={!approve && comment.trim() === ''}
          onClick={() => {
            setError(null);
            decide.mutate(comment.trim(), { onSuccess: setDone, onError: (e) => setError(errorText(e)) });
          }}
          data-testid="approval-link-confirm"
        >
          {t(approve ? 'approval.link.confirmApprove' : 'approval.link.confirmReject')}
        </Button>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {t('approval.link.hint')}
        </Typography.Paragraph>
      </>
    );
  }
  return <AuthCard title={t('approval.link.title')}>{body}</AuthCard>;
}
