import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Checkbox, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { formatDuration, metricLabel } from './sla-format';
import type { SlaDefinition, SlaReplayChange, SlaReplayResult } from './sla-types';
import { useSlaReplay } from './use-sla.mutation';

const CHANGE_COLORS: Record<SlaReplayChange['change'], string> = { added: 'green', removed: 'red', changed: 'orange', unchanged: 'default' };

type Snapshot = SlaReplayChange['before'];

/** Recompute the clocks of every ticket of this definition: preview (dry run), then apply. */
export function SlaReplayCard({ definition }: { definition: SlaDefinition }) {
  const { t } = useTranslation();
  const replay = useSlaReplay();
  const [useCurrentVersion, setUseCurrentVersion] = useState(true);
  const [preview, setPreview] = useState<SlaReplayResult | null>(null);
  const [showUnchanged, setShowUnchanged] = useState(false);

  const run = (dryRun: boolean) =>
    replay.mutate(
      { definitionId: definition.id, useCurrentVersion, dryRun },
      {
        onSuccess: (result) => {
          setPreview(result);
          if (!result.dryRun) {
            const changes = result.changes.filter((c) => c.change !== 'unchanged').length;
            notifySuccess(t('sla.replay.applied', { tickets: result.tickets, changes }));
          }
        },
      },
    );

  const stateText = (state: string) =>
    state === 'paused' ? t('sla.clock.paused') : state === 'stopped' ? t('sla.clock.met') : state === 'cancelled' ? t('sla.clock.cancelled') : t('sla.clock.running');
  const due = (s: Snapshot) => (s ? (s.dueAt ? formatDateTime(s.dueAt) : stateText(s.state)) : t('common.none'));
  const breached = (s: Snapshot) => (s ? (s.breached ? t('common.yes') : t('common.no')) : t('common.none'));
  const elapsed = (s: Snapshot) => (s ? formatDuration(t, s.elapsedMinutes) : t('common.none'));
  const pair = (row: SlaReplayChange, f: (s: Snapshot) => string) => {
    const before = f(row.before);
    const after = f(row.after);
    return before === after ? after : `${before} → ${after}`;
  };

  const columns: TableColumnsType<SlaReplayChange> = [
    {
      title: t('sla.replay.col.ticket'),
      key: 'ticket',
      render: (_v, row) => (
        <Link to={`/incidents/${row.ticketId}`} data-testid={`sla-replay-ticket-${row.number}`}>
          {row.number}
        </Link>
      ),
    },
    { title: t('sla.replay.col.metric'), key: 'metric', render: (_v, row) => metricLabel(t, row.metric) },
    { title: t('sla.replay.col.change'), key: 'change', render: (_v, row) => <Tag color={CHANGE_COLORS[row.change]}>{t(`sla.replay.change.${row.change}`)}</Tag> },
    { title: t('sla.replay.col.dueBefore'), key: 'dueBefore', render: (_v, row) => due(row.before) },
    { title: t('sla.replay.col.dueAfter'), key: 'dueAfter', render: (_v, row) => due(row.after) },
    { title: t('sla.replay.col.breached'), key: 'breached', render: (_v, row) => pair(row, breached) },
    { title: t('sla.replay.col.elapsed'), key: 'elapsed', render: (_v, row) => pair(row, elapsed) },
  ];

  const rows = (preview?.changes ?? []).filter((c) => showUnchanged || c.change !== 'unchanged');
  const changed = (preview?.changes ?? []).filter((c) => c.change !== 'unchanged').length;

  return (
    <Card size="small" title={t('sla.replay.title')} data-testid="sla-replay">
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('sla.replay.intro')}</Typography.Text>
        <Typography.Text>{t('sla.replay.scope')}</Typography.Text>
        <Checkbox
          checked={useCurrentVersion}
          onChange={(e) => {
            setUseCurrentVersion(e.target.checked);
            setPreview(null);
          }}
          data-testid="sla-replay-current-version"
        >
          {t('sla.replay.useCurrentVersion')}
        </Checkbox>
        <Flex wrap gap={8}>
          <Button loading={replay.isPending && replay.variables?.dryRun === true} onClick={() => run(true)} data-testid="sla-replay-preview">
            {t('sla.replay.preview')}
          </Button>
          <Popconfirm
            title={t('sla.replay.applyConfirm')}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            onConfirm={() => run(false)}
            disabled={!preview?.dryRun || changed === 0}
            okButtonProps={testId('sla-replay-confirm', {})}
          >
            <Button
              type="primary"
              danger
              disabled={!preview?.dryRun || changed === 0}
              title={preview ? undefined : t('sla.replay.previewFirst')}
              loading={replay.isPending && replay.variables?.dryRun === false}
              data-testid="sla-replay-apply"
            >
              {t('sla.replay.apply')}
            </Button>
          </Popconfirm>
        </Flex>
        {replay.error && <Alert type="error" showIcon title={errorText(replay.error)} data-testid="sla-replay-error" />}
        {preview && (
          <>
            <Flex wrap gap={8} align="center" justify="space-between">
              <Typography.Text data-testid="sla-replay-summary">{t('sla.replay.summary', { tickets: preview.tickets, changes: changed })}</Typography.Text>
              <Checkbox checked={showUnchanged} onChange={(e) => setShowUnchanged(e.target.checked)}>
                {t('sla.replay.showUnchanged')}
              </Checkbox>
            </Flex>
            <Table<SlaReplayChange>
              rowKey={(row) => `${row.ticketId}-${row.metric}-${row.definitionName}`}
              size="small"
              columns={columns}
              dataSource={rows}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
              locale={{ emptyText: t('sla.replay.noChanges') }}
              scroll={{ x: 'max-content' }}
              data-testid="sla-replay-table"
            />
          </>
        )}
      </Flex>
    </Card>
  );
}
