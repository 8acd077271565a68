import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateKnowledgeArticleRequest,
  KnowledgeArticle,
  KnowledgeArticleSummary,
  KnowledgeListQuery,
  KnowledgeSuggestResponse,
  UpdateKnowledgeArticleRequest,
} from '@tianshu/contracts';
import { api, type QueryParams } from '../../app/api-client';
import type { Page } from '../../shared/contract-types';

export const knowledgeKeys = {
  all: ['knowledge'] as const,
  list: (query: KnowledgeListQuery) => ['knowledge', 'list', query] as const,
  detail: (id: number) => ['knowledge', 'detail', id] as const,
  suggest: (params: SuggestParams) => ['knowledge', 'suggest', params] as const,
};

export interface SuggestParams {
  text?: string;
  ciIds?: number[];
  orgId?: number;
  ticketId?: number;
}

export function useKnowledgeList(query: KnowledgeListQuery) {
  return useQuery({
    queryKey: knowledgeKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<KnowledgeArticleSummary>>('/api/knowledge', query as QueryParams, signal),
    placeholderData: keepPreviousData,
  });
}

export function useKnowledgeArticle(id: number) {
  return useQuery({
    queryKey: knowledgeKeys.detail(id),
    queryFn: ({ signal }) => api.get<KnowledgeArticle>(`/api/knowledge/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
    meta: { silent: true },
  });
}

/** Known errors matching a text and/or CIs (or a ticket's own); quiet on failure (a hint, not a must). */
export function useKnowledgeSuggest(params: SuggestParams, enabled: boolean) {
  return useQuery({
    queryKey: knowledgeKeys.suggest(params),
    queryFn: ({ signal }) =>
      api.get<KnowledgeSuggestResponse>('/api/knowledge/suggest', { text: params.text, ciIds: params.ciIds, orgId: params.orgId, ticketId: params.ticketId }, signal),
    enabled,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}

export type SaveArticle = { id?: undefined; request: CreateKnowledgeArticleRequest } | { id: number; request: UpdateKnowledgeArticleRequest };

export function useSaveArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: SaveArticle) =>
      v.id === undefined ? api.post<KnowledgeArticle>('/api/knowledge', v.request) : api.patch<KnowledgeArticle>(`/api/knowledge/${v.id}`, v.request),
    onSuccess: (a) => {
      queryClient.setQueryData(knowledgeKeys.detail(a.id), a);
      void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all });
    },
    meta: { silent: true },
  });
}
