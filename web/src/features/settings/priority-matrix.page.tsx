import { useState } from 'react';
import { Button, Card, Flex, Select, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PriorityMatrix } from '@tianshu/contracts';
import { notifySuccess } from '../../app/notifier';
import type { Level } from '../../shared/contract-types';
import { LEVELS, PRIORITIES } from '../../shared/enums';
import { levelLabel, priorityLabel } from '../../shared/labels';
import { PageHeader } from '../../shared/page-header.component';
import { usePriorityMatrix } from '../../shared/use-directory.query';
import { useSavePriorityMatrix } from './use-priority-matrix.mutation';

interface MatrixRow {
  impact: Level;
}

export function PriorityMatrixPage() {
  const { t } = useTranslation();
  const matrix = usePriorityMatrix();
  const save = useSavePriorityMatrix();
  // Local edits; null means "show what the server has".
  const [draft, setDraft] = useState<PriorityMatrix | null>(null);
  const current = draft ?? matrix.data;

  if (!current) return <Skeleton active />;

  const setCell = (impact: Level, urgency: Level, priority: number) => {
    const next = current.map((row) => [...row]);
    const row = next[impact - 1];
    if (row) row[urgency - 1] = priority;
    setDraft(next);
  };

  const columns: TableColumnsType<MatrixRow> = [
    {
      title: t('admin.settings.impactUrgency'),
      key: 'impact',
      render: (_value, row) => t('common.labelValue', { label: t('admin.settings.impact'), value: levelLabel(t, row.impact) }),
    },
    ...LEVELS.map((urgency) => ({
      title: t('common.labelValue', { label: t('admin.settings.urgency'), value: levelLabel(t, urgency) }),
      key: `u${urgency}`,
      render: (_value: unknown, row: MatrixRow) => {
        const value = current[row.impact - 1]?.[urgency - 1] ?? 4;
        return (
          <Select
            value={value}
            onChange={(priority: number) => setCell(row.impact, urgency, priority)}
            options={PRIORITIES.map((priority) => ({ value: priority, label: priorityLabel(t, priority) }))}
            style={{ width: 140 }}
            data-testid={`matrix-${row.impact}-${urgency}`}
          />
        );
      },
    })),
  ];

  return (
    <>
      <PageHeader title={t('admin.settings.matrixTitle')} testId="page-title" />
      <Card>
        <Typography.Paragraph type="secondary">{t('admin.settings.matrixIntro')}</Typography.Paragraph>
        <Table<MatrixRow>
          rowKey="impact"
          bordered
          pagination={false}
          columns={columns}
          dataSource={LEVELS.map((impact) => ({ impact }))}
          scroll={{ x: 'max-content' }}
        />
        <Flex gap={8} style={{ marginTop: 16 }}>
          <Button
            type="primary"
            disabled={!draft}
            loading={save.isPending}
            onClick={() =>
              draft &&
              save.mutate(draft, {
                onSuccess: () => {
                  setDraft(null);
                  notifySuccess(t('common.saved'));
                },
              })
            }
            data-testid="matrix-save"
          >
            {t('common.save')}
          </Button>
          <Button disabled={!draft} onClick={() => setDraft(null)}>
            {t('common.reset')}
          </Button>
        </Flex>
      </Card>
    </>
  );
}
