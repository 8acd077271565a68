import type { IncidentState, TicketListQuery, TicketView } from '@tianshu/contracts';
import { INCIDENT_STATES, PRIORITIES } from '../../shared/enums';

export type IncidentSort = NonNullable<TicketListQuery['sort']>;
export const VIEWS: readonly TicketView[] = ['mine', 'unassigned', 'p1p2', 'recently_resolved'];
const SORTS: readonly IncidentSort[] = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority', 'number', '-number'];
export const DEFAULT_SORT: IncidentSort = '-createdAt';
export const DEFAULT_PAGE_SIZE = 20;
export type SlaFilter = NonNullable<TicketListQuery['sla']>;
export const SLA_FILTERS: readonly SlaFilter[] = ['breached', 'at_risk'];

/** The list state lives in the URL, so filters survive reloads, back/forward and shared links. */
export interface IncidentListState {
  view?: TicketView;
  state: IncidentState[];
  priority: number[];
  orgId?: number;
  groupId?: number;
  assigneeId?: number;
  createdFrom?: string;
  createdTo?: string;
  q?: string;
  /** SLA: breached, or at risk (>= 75 % of a target used). */
  sla?: SlaFilter;
  sort: IncidentSort;
  page: number;
  pageSize: number;
}

function positiveInt(value: string | null): number | undefined {
  if (!value) return undefined;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

export function parseListState(params: URLSearchParams): IncidentListState {
  const states = (params.get('state') ?? '').split(',').flatMap((s) => oneOf(s, INCIDENT_STATES) ?? []);
  const priorities = (params.get('priority') ?? '')
    .split(',')
    .map(Number)
    .filter((p) => PRIORITIES.some((allowed) => allowed === p));
  return {
    view: oneOf(params.get('view'), VIEWS),
    state: states,
    priority: priorities,
    orgId: positiveInt(params.get('orgId')),
    groupId: positiveInt(params.get('groupId')),
    assigneeId: positiveInt(params.get('assigneeId')),
    createdFrom: params.get('createdFrom') ?? undefined,
    createdTo: params.get('createdTo') ?? undefined,
    q: params.get('q') ?? undefined,
    sla: oneOf(params.get('sla'), SLA_FILTERS),
    sort: oneOf(params.get('sort'), SORTS) ?? DEFAULT_SORT,
    page: positiveInt(params.get('page')) ?? 1,
    pageSize: Math.min(positiveInt(params.get('pageSize')) ?? DEFAULT_PAGE_SIZE, 200),
  };
}

export function toSearchParams(state: IncidentListState): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') params.set(key, String(value));
  };
  set('view', state.view);
  if (state.state.length) params.set('state', state.state.join(','));
  if (state.priority.length) params.set('priority', state.priority.join(','));
  set('orgId', state.orgId);
  set('groupId', state.groupId);
  set('assigneeId', state.assigneeId);
  set('createdFrom', state.createdFrom);
  set('createdTo', state.createdTo);
  set('q', state.q);
  set('sla', state.sla);
  if (state.sort !== DEFAULT_SORT) params.set('sort', state.sort);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(state.pageSize));
  return params;
}

export function toApiQuery(state: IncidentListState): TicketListQuery {
  return {
    type: 'incident',
    view: state.view,
    state: state.state.length ? state.state : undefined,
    priority: state.priority.length ? state.priority : undefined,
    orgId: state.orgId,
    groupId: state.groupId,
    assigneeId: state.assigneeId,
    createdFrom: state.createdFrom,
    createdTo: state.createdTo,
    q: state.q || undefined,
    sla: state.sla,
    sort: state.sort,
    page: state.page,
    pageSize: state.pageSize,
  };
}
