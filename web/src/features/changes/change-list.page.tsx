import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Input, Select, Table } from 'antd';
import { CalendarOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CHANGE_TYPES, RISK_LEVELS, type ChangeSummary, type ChangeType, type RiskLevel } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { ChangeStateTag, ChangeTypeTag, RiskTag, useChangeStateLabel } from './change-labels.component';
import { useChanges } from './use-changes.query';

const PAGE_SIZE = 20;
const STATES = ['draft', 'assessment', 'cab_approval', 'ecab_approval', 'approved', 'scheduled', 'implementing', 'verifying', 'completed_successful', 'completed_with_issues', 'rolled_back', 'failed', 'review', 'closed', 'cancelled'];

/** Every change in the caller's scope, newest first, filtered by type, state, risk or text. */
export function ChangeListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const stateLabel = useChangeStateLabel();
  const [changeType, setChangeType] = useState<ChangeType | undefined>();
  const [state, setState] = useState<string | undefined>();
  const [riskLevel, setRiskLevel] = useState<RiskLevel | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useChanges({ changeType, state, riskLevel, q: q || undefined, page, pageSize: PAGE_SIZE });
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <>
      <PageHeader
        title={t('change.title')}
        testId="page-title"
        extra={
          <>
            <Button icon={<CalendarOutlined />} onClick={() => void navigate('/changes/calendar')} data-testid="change-calendar-link">
              {t('change.navCalendar')}
            </Button>
            {can('change.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/changes/new')} data-testid="change-new">
                {t('change.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('change.search')} onSearch={reset(setQ)} style={{ width: 240 }} data-testid="change-search" />
          <Select<ChangeType>
            allowClear
            placeholder={t('change.field.type')}
            value={changeType}
            onChange={reset((v: ChangeType | undefined) => setChangeType(v ?? undefined))}
            options={CHANGE_TYPES.map((x) => ({ value: x, label: t(`change.types.${x}`) }))}
            style={{ width: 150 }}
          />
          <Select<string>
            allowClear
            placeholder={t('change.field.state')}
            value={state}
            onChange={reset((v: string | undefined) => setState(v ?? undefined))}
            options={STATES.map((x) => ({ value: x, label: stateLabel(x) }))}
            style={{ width: 160 }}
          />
          <Select<RiskLevel>
            allowClear
            placeholder={t('change.riskLevel')}
            value={riskLevel}
            onChange={reset((v: RiskLevel | undefined) => setRiskLevel(v ?? undefined))}
            options={RISK_LEVELS.map((x) => ({ value: x, label: t(`change.risk.${x}`) }))}
            style={{ width: 120 }}
          />
        </Flex>
        <Table<ChangeSummary>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          data-testid="change-table"
          scroll={{ x: 900 }}
          locale={{ emptyText: t('change.empty') }}
          onRow={(r) => testId<HTMLAttributes<HTMLElement>>(`change-row-${r.id}`)}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { count: n }) }}
          columns={[
            { title: t('change.field.number'), dataIndex: 'number', width: 120, render: (v: string, r) => <Link to={`/changes/${r.id}`}>{v}</Link> },
            { title: t('change.field.title'), dataIndex: 'title', render: (v: string, r) => <Link to={`/changes/${r.id}`}>{v}</Link> },
            { title: t('change.field.type'), width: 120, render: (_v, r) => <ChangeTypeTag type={r.changeType} /> },
            { title: t('change.field.state'), width: 130, render: (_v, r) => <ChangeStateTag state={r.state} /> },
            { title: t('change.riskLevel'), width: 90, render: (_v, r) => <RiskTag level={r.riskLevel} /> },
            { title: t('change.field.plannedStart'), width: 150, render: (_v, r) => formatDateTime(r.plannedStart) },
            { title: t('change.field.plannedEnd'), width: 150, render: (_v, r) => formatDateTime(r.plannedEnd) },
            { title: t('change.field.ciCount'), dataIndex: 'ciCount', width: 80 },
            { title: t('change.field.org'), dataIndex: 'orgName', width: 140 },
          ]}
        />
      </Card>
    </>
  );
}
