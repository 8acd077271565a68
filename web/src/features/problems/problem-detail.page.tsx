import { Link, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PriorityTag } from '../../shared/incident-tags.component';
import { MarkdownView } from '../../shared/markdown-view.component';
import { useIsMobile } from '../../shared/use-is-mobile';
import { StateTag } from '../workflows/state-tag.component';
import { WorkflowActions } from '../workflows/workflow-actions.component';
import { KnownErrorCard, ProblemChangesCard, ProblemCisCard, ProblemIncidentsCard, RcaCard } from './problem-cards.component';
import { problemKeys, useProblem } from './use-problems.query';

export function ProblemDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const query = useProblem(id);
  const problem = query.data;

  if (query.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!problem) {
    const error = query.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('problem.notFound') : t('common.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="problem-not-found"
        extra={
          <Link to="/problems">
            <Button>{t('problem.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const ticket = problem.ticket;
  const final = ticket.stateCategory === 'closed' || ticket.stateCategory === 'cancelled';
  const canEdit = can('problem.manage') && !final;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: problemKeys.detail(id) });

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <Link to="/problems" aria-label={t('problem.backToList')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Text type="secondary" data-testid="problem-number" copyable={{ text: ticket.number }}>
            {ticket.number}
          </Typography.Text>
          <StateTag ticket={ticket} testId="problem-state" />
          <PriorityTag priority={ticket.priority} />
        </Space>
        <Typography.Title level={isMobile ? 4 : 3} style={{ margin: 0 }} data-testid="page-title">
          {ticket.title}
        </Typography.Title>
        <WorkflowActions ticket={ticket} onDone={refresh} onConflict={refresh} />
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            {ticket.description.trim() && (
              <Card size="small" title={t('problem.field.description')}>
                <MarkdownView source={ticket.description} />
              </Card>
            )}
            <RcaCard problem={problem} canEdit={canEdit} />
            <ProblemIncidentsCard problem={problem} canEdit={canEdit} />
            <ProblemChangesCard problem={problem} canEdit={canEdit} />
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            <Card size="small">
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('problem.field.org')}>{ticket.orgName}</Descriptions.Item>
                <Descriptions.Item label={t('problem.field.group')}>{ticket.assignmentGroupName ?? '-'}</Descriptions.Item>
                <Descriptions.Item label={t('problem.field.assignee')}>{ticket.assigneeName ?? '-'}</Descriptions.Item>
                <Descriptions.Item label={t('problem.field.incidentCount')}>
                  <span data-testid="problem-incident-count">{problem.incidentCount}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('problem.field.firstOccurrence')}>{formatDateTime(problem.firstOccurrenceAt) || '-'}</Descriptions.Item>
                <Descriptions.Item label={t('problem.field.lastOccurrence')}>{formatDateTime(problem.lastOccurrenceAt) || '-'}</Descriptions.Item>
                <Descriptions.Item label={t('problem.field.createdAt')}>{formatDateTime(ticket.createdAt)}</Descriptions.Item>
              </Descriptions>
            </Card>
            <KnownErrorCard problem={problem} canEdit={can('problem.manage') && ticket.stateCategory !== 'cancelled'} />
            <ProblemCisCard problem={problem} canEdit={canEdit} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
