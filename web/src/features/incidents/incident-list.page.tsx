import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Tabs } from 'antd';
import { BugOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TicketSummary, TicketView } from '@tianshu/contracts';
import { useAuth, useMe } from '../../app/auth-context';
import { PageHeader } from '../../shared/page-header.component';
import { ProblemFormModal } from '../problems/problem-form-modal.component';
import { IncidentFilters } from './components/incident-filters.component';
import { IncidentTable } from './components/incident-table.component';
import { type IncidentListState, VIEWS, parseListState, toApiQuery, toSearchParams } from './incident-list-params';
import { useIncidentList } from './use-incidents.query';

const ALL_VIEW = 'all';

export function IncidentListPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseListState(params), [params]);
  const query = useMemo(() => toApiQuery(state), [state]);
  const list = useIncidentList(query);
  // Bulk action: a problem from the selected incidents (people who manage problems).
  const [selected, setSelected] = useState<TicketSummary[]>([]);
  const [creatingProblem, setCreatingProblem] = useState(false);

  // Any filter change goes back to page 1; paging keeps the filters.
  const update = (patch: Partial<IncidentListState>) => setParams(toSearchParams({ ...state, page: 1, ...patch }));

  // "Unassigned in my groups" only means something to people who work tickets.
  const views = VIEWS.filter((view) => view !== 'unassigned' || can('ticket.work'));

  return (
    <>
      <PageHeader
        title={t('incident.listTitle')}
        testId="page-title"
        extra={
          <>
            {can('problem.manage') && selected.length > 0 && (
              <Button icon={<BugOutlined />} onClick={() => setCreatingProblem(true)} data-testid="incident-bulk-problem">
                {t('problem.createFromIncidents')} ({selected.length})
              </Button>
            )}
            {can('ticket.create') && (
              <Link to="/incidents/new">
                <Button type="primary" icon={<PlusOutlined />} data-testid="incident-new">
                  {t('incident.new')}
                </Button>
              </Link>
            )}
          </>
        }
      />
      <Tabs
        activeKey={state.view ?? ALL_VIEW}
        onChange={(key) => update({ view: views.find((view) => view === key) as TicketView | undefined })}
        items={[ALL_VIEW, ...views].map((view) => ({
          key: view,
          label: <span data-testid={`view-${view}`}>{view === ALL_VIEW ? t('incident.view.all') : t(`incident.view.${view as TicketView}`)}</span>,
        }))}
      />
      <IncidentFilters
        value={state}
        onChange={update}
        onReset={() => setParams(toSearchParams({ state: [], priority: [], view: state.view, sort: state.sort, page: 1, pageSize: state.pageSize }))}
      />
      <IncidentTable
        items={list.data?.items ?? []}
        total={list.data?.total ?? 0}
        totalCapped={list.data?.totalCapped ?? false}
        page={state.page}
        pageSize={state.pageSize}
        sort={state.sort}
        loading={list.isFetching}
        showOrg={me.orgKind === 'provider'}
        showSla={can('sla.read')}
        onPage={(page, pageSize) => setParams(toSearchParams({ ...state, page, pageSize }))}
        onSort={(sort) => update({ sort })}
        {...(can('problem.manage') ? { selectedIds: selected.map((x) => x.id), onSelect: (_ids: number[], rows: TicketSummary[]) => setSelected(rows) } : {})}
      />
      {creatingProblem && (
        <ProblemFormModal
          onClose={() => setCreatingProblem(false)}
          initial={{ incidentIds: selected.map((x) => x.id), known: selected.map((x) => ({ id: x.id, number: x.number, title: x.title })), orgId: selected[0]?.orgId }}
        />
      )}
    </>
  );
}
