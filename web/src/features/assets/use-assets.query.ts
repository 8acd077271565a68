import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { Asset, AssetEvent, AssetKind, AssetPage, AssetStatus, SparePartDetail, SparePartMovement, SparePartPage, SparePartTest } from './asset-types';

/** Every key starts with 'assets', so one invalidation after a write refreshes all of them. */
export const assetKeys = {
  all: ['assets'] as const,
  list: (query: AssetListQuery) => ['assets', 'list', query] as const,
  detail: (id: number) => ['assets', 'detail', id] as const,
  byTag: (tag: string) => ['assets', 'by-tag', tag] as const,
  events: (id: number) => ['assets', 'events', id] as const,
  categories: ['assets', 'categories'] as const,
  parts: (query: SparePartListQuery) => ['assets', 'parts', query] as const,
  part: (id: number) => ['assets', 'part', id] as const,
  movements: (id: number) => ['assets', 'movements', id] as const,
  tests: (id: number) => ['assets', 'tests', id] as const,
  locations: ['assets', 'locations'] as const,
};

export interface AssetListQuery {
  q?: string;
  /** The asset linked to this CI (at most one). */
  ciId?: number;
  orgId?: number;
  status?: AssetStatus;
  kind?: AssetKind;
  category?: string;
  warrantyWithinDays?: number;
  sort?: 'id' | 'assetTag' | 'name' | 'warrantyEnd' | 'purchaseDate' | 'updatedAt';
  order?: 'asc' | 'desc';
  includeDisposed?: boolean;
  page?: number;
  pageSize?: number;
}

export interface SparePartListQuery {
  q?: string;
  belowMinimum?: boolean;
  testOverdue?: boolean;
  page?: number;
  pageSize?: number;
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useAssets(query: AssetListQuery, enabled = true) {
  return useQuery({
    queryKey: assetKeys.list(query),
    queryFn: ({ signal }) => api.get<AssetPage>('/api/assets', { ...query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAsset(id: number) {
  return useQuery({
    queryKey: assetKeys.detail(id),
    queryFn: ({ signal }) => api.get<Asset>(`/api/assets/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

/** Several assets at once (the label sheet); each query fails on its own. */
export function useAssetsById(ids: readonly number[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: assetKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Asset>(`/api/assets/${id}`, undefined, signal),
      meta: { silent: true },
    })),
  });
}

export function useAssetByTag(tag: string) {
  return useQuery({
    queryKey: assetKeys.byTag(tag),
    queryFn: ({ signal }) => api.get<Asset>(`/api/assets/by-tag/${encodeURIComponent(tag)}`, undefined, signal),
    enabled: tag !== '',
    meta: { silent: true },
    retry: false,
  });
}

export function useAssetEvents(id: number) {
  return useQuery({
    queryKey: assetKeys.events(id),
    queryFn: ({ signal }) => api.get<AssetEvent[]>(`/api/assets/${id}/events`, undefined, signal),
    enabled: validId(id),
  });
}

export function useAssetCategories() {
  return useQuery({
    queryKey: assetKeys.categories,
    queryFn: ({ signal }) => api.get<string[]>('/api/assets/categories', undefined, signal),
    staleTime: 30_000,
  });
}

export function useSpareParts(query: SparePartListQuery) {
  return useQuery({
    queryKey: assetKeys.parts(query),
    queryFn: ({ signal }) => api.get<SparePartPage>('/api/spare-parts', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSparePart(id: number) {
  return useQuery({
    queryKey: assetKeys.part(id),
    queryFn: ({ signal }) => api.get<SparePartDetail>(`/api/spare-parts/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

export function useSparePartMovements(id: number) {
  return useQuery({
    queryKey: assetKeys.movements(id),
    queryFn: ({ signal }) => api.get<SparePartMovement[]>(`/api/spare-parts/${id}/movements`, undefined, signal),
    enabled: validId(id),
  });
}

export function useSparePartTests(id: number) {
  return useQuery({
    queryKey: assetKeys.tests(id),
    queryFn: ({ signal }) => api.get<SparePartTest[]>(`/api/spare-parts/${id}/tests`, undefined, signal),
    enabled: validId(id),
  });
}

export function useStockLocations() {
  return useQuery({
    queryKey: assetKeys.locations,
    queryFn: ({ signal }) => api.get<string[]>('/api/spare-parts/locations', undefined, signal),
    staleTime: 30_000,
  });
}
