import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Popconfirm, Result, Row, Skeleton, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ReleaseChange, ReleaseDeployment, ReleaseRecord } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess, notifyWarning } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { MarkdownView } from '../../shared/markdown-view.component';
import { testId } from '../../shared/test-id';
import { StateTag } from '../workflows/state-tag.component';
import { WorkflowActions } from '../workflows/workflow-actions.component';
import { categoryTagColor, localized } from '../workflows/workflow-labels';
import { ReleaseCmdbCard } from './release-cmdb.card';
import { DeploymentModal, LinkChangesModal, RecordModal, ReleaseEditModal } from './release-modals.component';
import { useUnlinkChange } from './use-releases.mutation';
import { releaseKeys, useRelease } from './use-releases.query';

const RESULT_COLORS: Record<NonNullable<ReleaseDeployment['result']>, string> = { success: 'green', failed: 'red', rolled_back: 'orange' };

export function ReleaseDetailPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const release = useRelease(id);
  const unlink = useUnlinkChange(id);
  const [editing, setEditing] = useState<'all' | 'outcome' | null>(null);
  const [linking, setLinking] = useState(false);
  const [recording, setRecording] = useState(false);
  const [deployment, setDeployment] = useState<ReleaseDeployment | 'new' | null>(null);

  if (release.isPending) return <Skeleton active />;
  if (release.isError || !release.data)
    return (
      <Result
        status="404"
        title={t('release.notFound')}
        extra={
          <Link to="/releases">
            <Button>{t('release.back')}</Button>
          </Link>
        }
      />
    );
  const r = release.data;
  const d = r.details;
  const tk = r.ticket;
  const none = t('common.none');
  const ended = tk.stateCategory === 'closed' || tk.stateCategory === 'cancelled';
  const manage = can('release.manage') && !ended;
  const rolledBack = tk.state === 'rolled_back';
  const refresh = () => void queryClient.invalidateQueries({ queryKey: releaseKeys.all });

  const changeColumns = [
    { title: t('release.changes.number'), key: 'number', render: (_v: unknown, c: ReleaseChange) => <Link to={`/changes/${c.changeId}`}>{c.number}</Link> },
    { title: t('release.changes.title_'), dataIndex: 'title', key: 'title' },
    {
      title: t('release.changes.state'),
      key: 'state',
      render: (_v: unknown, c: ReleaseChange) => <Tag color={categoryTagColor(c.stateCategory)}>{localized(c.stateLabel, i18n.language)}</Tag>,
    },
    { title: t('release.changes.linkedAt'), key: 'at', render: (_v: unknown, c: ReleaseChange) => `${formatDateTime(c.linkedAt)} ${c.linkedByName ?? ''}` },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, c: ReleaseChange) => (
              <Popconfirm
                title={t('release.changes.removeConfirm', { number: c.number })}
                onConfirm={() => void unlink.mutateAsync(c.changeId).then(() => notifySuccess(t('release.changes.removed')))}
                okButtonProps={testId(`release-change-remove-ok-${c.changeId}`, {})}
              >
                <Button size="small" danger data-testid={`release-change-remove-${c.changeId}`}>
                  {t('release.changes.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  const recordColumns = [
    { title: t('release.records.kind'), key: 'kind', render: (_v: unknown, x: ReleaseRecord) => t(`release.records.kindValues.${x.kind}`) },
    { title: t('release.records.name'), key: 'name', render: (_v: unknown, x: ReleaseRecord) => (x.link ? <a href={x.link} target="_blank" rel="noreferrer noopener">{x.name}</a> : x.name) },
    { title: t('release.records.result'), key: 'result', render: (_v: unknown, x: ReleaseRecord) => <Tag color={x.result === 'pass' ? 'green' : 'red'}>{t(`release.records.resultValues.${x.result}`)}</Tag> },
    { title: t('release.records.notes'), dataIndex: 'notes', key: 'notes' },
    { title: t('release.records.recordedBy'), key: 'by', render: (_v: unknown, x: ReleaseRecord) => `${x.recordedByName ?? ''} ${formatDateTime(x.recordedAt)}` },
  ];

  const deploymentColumns = [
    { title: t('release.deployments.environment'), dataIndex: 'environment', key: 'env', render: (e: string) => <Tag color={e.toLowerCase() === 'prod' ? 'purple' : 'blue'}>{e}</Tag> },
    { title: t('release.deployments.plannedAt'), key: 'planned', render: (_v: unknown, x: ReleaseDeployment) => formatDateTime(x.plannedAt) || none },
    { title: t('release.deployments.startedAt'), key: 'started', render: (_v: unknown, x: ReleaseDeployment) => formatDateTime(x.startedAt) || none },
    { title: t('release.deployments.finishedAt'), key: 'finished', render: (_v: unknown, x: ReleaseDeployment) => formatDateTime(x.finishedAt) || none },
    {
      title: t('release.deployments.result'),
      key: 'result',
      render: (_v: unknown, x: ReleaseDeployment) =>
        x.result ? <Tag color={RESULT_COLORS[x.result]}>{t(`release.deployments.resultValues.${x.result}`)}</Tag> : <Tag>{t('release.deployments.noResult')}</Tag>,
    },
    { title: t('release.deployments.notes'), dataIndex: 'notes', key: 'notes' },
    { title: t('release.deployments.by'), key: 'by', render: (_v: unknown, x: ReleaseDeployment) => x.updatedByName ?? x.createdByName ?? '' },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, x: ReleaseDeployment) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setDeployment(x)} data-testid={`release-deployment-edit-${x.id}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Flex align="center" gap={8}>
          <Link to="/releases">
            <Button icon={<ArrowLeftOutlined />} aria-label={t('release.back')} />
          </Link>
          <h2 style={{ margin: 0 }} data-testid="page-title">
            {tk.number} {tk.title}
          </h2>
          <StateTag ticket={tk} testId="release-state" />
          <Tag data-testid="release-version">{d.versionLabel}</Tag>
        </Flex>
        <WorkflowActions
          ticket={tk}
          onDone={refresh}
          onConflict={() => {
            notifyWarning(t('release.versionConflict'), 'release-conflict');
            refresh();
          }}
        />
      </Flex>
      {rolledBack && !d.rollbackOutcome && (
        <Alert
          type="warning"
          showIcon
          title={t('release.rollbackOutcomeHint')}
          style={{ marginBottom: 16 }}
          action={
            can('release.manage') && (
              <Button size="small" onClick={() => setEditing('outcome')} data-testid="release-record-outcome">
                {t('release.recordRollbackOutcome')}
              </Button>
            )
          }
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card
            style={{ marginBottom: 16 }}
            extra={
              manage && (
                <Button icon={<EditOutlined />} onClick={() => setEditing('all')} data-testid="release-edit">
                  {t('release.edit')}
                </Button>
              )
            }
          >
            <Descriptions column={{ xs: 1, md: 2 }} size="small" data-testid="release-fields">
              <Descriptions.Item label={t('release.field.org')}>{tk.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('release.field.versionLabel')}>{d.versionLabel}</Descriptions.Item>
              <Descriptions.Item label={t('release.field.plannedReleaseAt')}>
                <span data-testid="release-planned-at">{formatDateTime(d.plannedReleaseAt) || none}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('release.field.assignmentGroup')}>{tk.assignmentGroupName ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('release.field.assignee')}>{tk.assigneeName ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('release.field.createdAt')}>{formatDateTime(tk.createdAt)}</Descriptions.Item>
              {tk.description && (
                <Descriptions.Item label={t('release.field.description')} span={2}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{tk.description}</Typography.Paragraph>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card title={t('release.plans')} style={{ marginBottom: 16 }}>
            <Typography.Title level={5}>{t('release.field.releasePlan')}</Typography.Title>
            {d.releasePlan ? <MarkdownView source={d.releasePlan} testId="release-plan-view" /> : <Typography.Text type="secondary">{t('release.noPlan')}</Typography.Text>}
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('release.field.rollbackPlan')}
            </Typography.Title>
            <MarkdownView source={d.rollbackPlan} testId="release-rollback-plan-view" />
            {(rolledBack || d.rollbackOutcome) && (
              <>
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('release.field.rollbackOutcome')}
                </Typography.Title>
                {d.rollbackOutcome ? (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="release-rollback-outcome">
                    {d.rollbackOutcome}
                  </Typography.Paragraph>
                ) : (
                  <Typography.Text type="secondary">{t('release.rollbackOutcomeMissing')}</Typography.Text>
                )}
              </>
            )}
          </Card>
          <Card
            title={t('release.changes.title')}
            style={{ marginBottom: 16 }}
            extra={
              manage && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setLinking(true)} data-testid="release-link-changes-open">
                  {t('release.changes.add')}
                </Button>
              )
            }
          >
            <Table<ReleaseChange>
              rowKey="changeId"
              size="small"
              pagination={false}
              dataSource={r.changes}
              columns={changeColumns}
              locale={{ emptyText: t('release.changes.empty') }}
              onRow={(c) => testId(`release-change-${c.changeId}`, {})}
              scroll={{ x: 'max-content' }}
            />
          </Card>
          <Card
            title={t('release.records.title')}
            style={{ marginBottom: 16 }}
            extra={
              manage && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="release-record-add">
                  {t('release.records.add')}
                </Button>
              )
            }
          >
            <Table<ReleaseRecord>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={r.records}
              columns={recordColumns}
              locale={{ emptyText: t('release.records.empty') }}
              onRow={(x) => testId(`release-record-${x.id}`, {})}
              scroll={{ x: 'max-content' }}
            />
          </Card>
          <Card
            title={t('release.deployments.title')}
            style={{ marginBottom: 16 }}
            extra={
              manage && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setDeployment('new')} data-testid="release-deployment-add">
                  {t('release.deployments.add')}
                </Button>
              )
            }
          >
            {r.deployments.length === 0 ? (
              <Empty description={t('release.deployments.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Table<ReleaseDeployment>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={[...r.deployments].sort((a, b) => a.environment.localeCompare(b.environment) || a.id - b.id)}
                columns={deploymentColumns}
                onRow={(x) => testId(`release-deployment-${x.id}`, {})}
                scroll={{ x: 'max-content' }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <ReleaseCmdbCard release={r} canManage={can('release.manage')} />
        </Col>
      </Row>
      {editing && <ReleaseEditModal release={r} focusOutcome={editing === 'outcome'} onClose={() => setEditing(null)} />}
      {linking && <LinkChangesModal release={r} onClose={() => setLinking(false)} />}
      {recording && <RecordModal releaseId={id} onClose={() => setRecording(false)} />}
      {deployment && <DeploymentModal releaseId={id} deployment={deployment === 'new' ? undefined : deployment} onClose={() => setDeployment(null)} />}
    </>
  );
}
