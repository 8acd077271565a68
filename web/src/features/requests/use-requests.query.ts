import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CatalogueEntry,
  CatalogueItem,
  CompleteRequestTaskRequest,
  CreateRequestTypeRequest,
  FormSchemaInput,
  RequestDetail,
  RequestForm,
  RequestSummary,
  RequestTask,
  RequestType,
  StateCategory,
  SubmitRequestRequest,
  UpdateRequestTaskRequest,
  UpdateRequestTypeRequest,
} from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { newIdempotencyKey } from '../../shared/idempotency-key';

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
export type RequestTypeDetail = RequestType & { forms: { version: number; createdAt: string; createdByName: string | null }[] };

export interface RequestListQuery {
  mine?: boolean;
  myTasks?: boolean;
  typeKey?: string;
  stateCategory?: StateCategory;
  page?: number;
  pageSize?: number;
}

/** Every key starts with 'requests': one invalidation after a write refreshes lists and details. */
export const requestKeys = {
  all: ['requests'] as const,
  catalogue: ['requests', 'catalogue'] as const,
  entry: (key: string) => ['requests', 'catalogue', key] as const,
  list: (q: RequestListQuery) => ['requests', 'list', q] as const,
  detail: (id: number) => ['requests', 'detail', id] as const,
  types: ['requests', 'types'] as const,
  type: (id: number) => ['requests', 'types', id] as const,
  form: (id: number, version: number) => ['requests', 'types', id, 'form', version] as const,
};

export function useCatalogue() {
  return useQuery({
    queryKey: requestKeys.catalogue,
    queryFn: ({ signal }) => api.get<{ items: CatalogueItem[] }>('/api/request-catalogue', undefined, signal),
  });
}

/** A type and its current form; staff filing for another organisation pass its id. */
export function useCatalogueEntry(key: string, orgId?: number) {
  return useQuery({
    queryKey: [...requestKeys.entry(key), orgId ?? 'own'],
    queryFn: ({ signal }) => api.get<CatalogueEntry>(`/api/request-catalogue/${encodeURIComponent(key)}`, { orgId }, signal),
    meta: { silent: true },
  });
}

export function useRequests(q: RequestListQuery) {
  return useQuery({
    queryKey: requestKeys.list(q),
    queryFn: ({ signal }) => api.get<Page<RequestSummary>>('/api/requests', { ...q }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRequest(id: number) {
  return useQuery({
    queryKey: requestKeys.detail(id),
    queryFn: ({ signal }) => api.get<RequestDetail>(`/api/requests/${id}`, undefined, signal),
    meta: { silent: true },
  });
}

export function useRequestTypes() {
  return useQuery({
    queryKey: requestKeys.types,
    queryFn: ({ signal }) => api.get<{ items: RequestType[] }>('/api/request-types', undefined, signal),
  });
}

export function useRequestType(id: number | null) {
  return useQuery({
    queryKey: requestKeys.type(id ?? 0),
    queryFn: ({ signal }) => api.get<RequestTypeDetail>(`/api/request-types/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

export function useRequestFormVersion(id: number | null, version: number) {
  return useQuery({
    queryKey: requestKeys.form(id ?? 0, version),
    queryFn: ({ signal }) => api.get<RequestForm>(`/api/request-types/${id}/forms/${version}`, undefined, signal),
    enabled: id !== null && version > 0,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: requestKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
}

/** Submits a request; the idempotency key is made once per form page so a retry never doubles it. */
export function useSubmitRequest(idempotencyKey: string = newIdempotencyKey()) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (body: SubmitRequestRequest) => api.post<RequestDetail>('/api/requests', body, { 'Idempotency-Key': idempotencyKey }),
    onSuccess,
    meta: { silent: true },
  });
}

export function useCompleteTask(requestId: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: { taskId: number; body: CompleteRequestTaskRequest }) => api.post<RequestTask>(`/api/requests/${requestId}/tasks/${v.taskId}/complete`, v.body),
    onSuccess,
  });
}

export function useUpdateTask(requestId: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: { taskId: number; body: UpdateRequestTaskRequest }) => api.patch<RequestTask>(`/api/requests/${requestId}/tasks/${v.taskId}`, v.body),
    onSuccess,
  });
}

export function useCreateRequestType() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (body: CreateRequestTypeRequest) => api.post<RequestType>('/api/request-types', body),
    onSuccess,
    meta: { silent: true },
  });
}

export function useUpdateRequestType(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (body: UpdateRequestTypeRequest) => api.patch<RequestType>(`/api/request-types/${id}`, body),
    onSuccess,
    meta: { silent: true },
  });
}

export function useSaveRequestForm(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (body: { baseVersion: number; schema: FormSchemaInput }) => api.put<RequestType>(`/api/request-types/${id}/form`, body),
    onSuccess,
    meta: { silent: true },
  });
}
