import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Input, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { BarChartOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CAUSE_CATEGORY_VALUES, type CauseCategory, type Label, type ProblemSummary } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { formatDateTime } from '../../shared/format';
import { PriorityTag } from '../../shared/incident-tags.component';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { StateTag } from '../workflows/state-tag.component';
import { useWorkflow } from '../workflows/use-workflows.query';
import { ProblemFormModal } from './problem-form-modal.component';
import { useProblems } from './use-problems.query';

const PAGE_SIZE = 20;

/** State labels of the problem workflow, for list rows (which carry only the state key). */
export function useProblemStateLabels(): Map<string, Label> {
  const wf = useWorkflow('problem');
  return useMemo(() => new Map((wf.data?.definition.states ?? []).map((s) => [s.key, s.label])), [wf.data]);
}

export function ProblemListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<'open' | 'resolved' | undefined>('open');
  const [cause, setCause] = useState<CauseCategory | undefined>();
  const [sort, setSort] = useState<'-createdAt' | '-incidentCount' | '-lastOccurrence'>('-createdAt');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const q = useDebouncedValue(search.trim());
  const labels = useProblemStateLabels();
  const list = useProblems({
    q: q || undefined,
    state: category === 'open' ? ['new', 'investigating', 'pending', 'known_error'] : category === 'resolved' ? ['resolved', 'closed'] : undefined,
    causeCategory: cause,
    sort,
    page,
    pageSize: PAGE_SIZE,
  });

  const columns: TableColumnsType<ProblemSummary> = [
    {
      title: t('problem.field.number'),
      key: 'number',
      render: (_v, p) => (
        <Link to={`/problems/${p.id}`} data-testid={`problem-link-${p.id}`} onClick={(e) => e.stopPropagation()}>
          {p.number}
        </Link>
      ),
    },
    { title: t('problem.field.title'), key: 'title', dataIndex: 'title' },
    { title: t('problem.field.state'), key: 'state', render: (_v, p) => <StateTag ticket={p} label={labels.get(p.state)} testId={`problem-state-${p.id}`} /> },
    { title: t('problem.field.priority'), key: 'priority', render: (_v, p) => <PriorityTag priority={p.priority} /> },
    { title: t('problem.field.org'), key: 'org', dataIndex: 'orgName' },
    { title: t('problem.field.incidentCount'), key: 'count', render: (_v, p) => <span data-testid={`problem-count-${p.id}`}>{p.incidentCount}</span> },
    { title: t('problem.field.firstOccurrence'), key: 'first', render: (_v, p) => formatDateTime(p.firstOccurrenceAt) || '-' },
    { title: t('problem.field.lastOccurrence'), key: 'last', render: (_v, p) => formatDateTime(p.lastOccurrenceAt) || '-' },
    { title: t('problem.field.causeCategory'), key: 'cause', render: (_v, p) => (p.causeCategory ? t(`problem.cause.${p.causeCategory}`) : '-') },
    { title: t('problem.field.knownError'), key: 'ke', render: (_v, p) => (p.knownErrorArticleNumber ? <Tag color="gold">{p.knownErrorArticleNumber}</Tag> : '-') },
    { title: t('problem.field.assignee'), key: 'assignee', render: (_v, p) => p.assigneeName ?? p.assignmentGroupName ?? '-' },
  ];

  return (
    <>
      <PageHeader
        title={t('problem.title')}
        testId="page-title"
        extra={
          <>
            <Link to="/problems/reports">
              <Button icon={<BarChartOutlined />} data-testid="problem-reports">
                {t('problem.reports')}
              </Button>
            </Link>
            {can('problem.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="problem-new">
                {t('problem.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('problem.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            style={{ maxWidth: 320 }}
            data-testid="problem-search"
          />
          <Select<'open' | 'resolved'>
            allowClear
            placeholder={t('problem.field.state')}
            value={category}
            onChange={(v) => {
              setCategory(v);
              setPage(1);
            }}
            options={[
              { value: 'open', label: t('workflow.category.open') },
              { value: 'resolved', label: t('workflow.category.resolved') },
            ]}
            style={{ minWidth: 120 }}
            data-testid="problem-state-filter"
          />
          <Select<CauseCategory>
            allowClear
            placeholder={t('problem.field.causeCategory')}
            value={cause}
            onChange={(v) => {
              setCause(v);
              setPage(1);
            }}
            options={CAUSE_CATEGORY_VALUES.map((c) => ({ value: c, label: t(`problem.cause.${c}`) }))}
            style={{ minWidth: 140 }}
          />
          <Select
            value={sort}
            onChange={setSort}
            options={[
              { value: '-createdAt', label: t('problem.field.createdAt') },
              { value: '-incidentCount', label: t('problem.field.incidentCount') },
              { value: '-lastOccurrence', label: t('problem.field.lastOccurrence') },
            ]}
            style={{ minWidth: 140 }}
          />
        </Flex>
        <Table<ProblemSummary>
          rowKey="id"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          locale={{ emptyText: t('problem.empty') }}
          onRow={(p) => testId(`problem-row-${p.id}`, { onClick: () => navigate(`/problems/${p.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {creating && <ProblemFormModal onClose={() => setCreating(false)} />}
    </>
  );
}
