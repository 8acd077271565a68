import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SlaDefinition } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { Page, RepairOrder, RepairOrderDetail, RepairStatus, VendorContract, VendorDetail, VendorListItem } from './vendor-types';

/** Every key starts with 'vendors', so one invalidation after a write refreshes vendors, contracts and repairs. */
export const vendorKeys = {
  all: ['vendors'] as const,
  list: (query: VendorListQuery) => ['vendors', 'list', query] as const,
  detail: (id: number) => ['vendors', 'detail', id] as const,
  contracts: (query: ContractListQuery) => ['vendors', 'contracts', query] as const,
  repairs: (query: RepairListQuery) => ['vendors', 'repairs', query] as const,
  repair: (id: number) => ['vendors', 'repair', id] as const,
  ucDefinitions: ['vendors', 'uc-definitions'] as const,
};

export interface VendorListQuery {
  q?: string;
  active?: boolean;
  page?: number;
  pageSize?: number;
}

export interface ContractListQuery {
  vendorId?: number;
  expiringWithinDays?: number;
  page?: number;
  pageSize?: number;
}

export interface RepairListQuery {
  status?: RepairStatus;
  state?: 'open' | 'final';
  inWarranty?: boolean;
  overdue?: boolean;
  pendingMyApproval?: boolean;
  assetId?: number;
  vendorId?: number;
  q?: string;
  page?: number;
  pageSize?: number;
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useVendors(query: VendorListQuery, enabled = true) {
  return useQuery({
    queryKey: vendorKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<VendorListItem>>('/api/vendors', { ...query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useVendor(id: number) {
  return useQuery({
    queryKey: vendorKeys.detail(id),
    queryFn: ({ signal }) => api.get<VendorDetail>(`/api/vendors/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

export function useVendorContracts(query: ContractListQuery, enabled = true) {
  return useQuery({
    queryKey: vendorKeys.contracts(query),
    queryFn: ({ signal }) => api.get<Page<VendorContract>>('/api/vendor-contracts', { ...query }, signal),
    enabled,
  });
}

export function useRepairs(query: RepairListQuery, enabled = true) {
  return useQuery({
    queryKey: vendorKeys.repairs(query),
    queryFn: ({ signal }) => api.get<Page<RepairOrder>>('/api/repairs', { ...query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRepair(id: number) {
  return useQuery({
    queryKey: vendorKeys.repair(id),
    queryFn: ({ signal }) => api.get<RepairOrderDetail>(`/api/repairs/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

/** SLA definitions a contract may link to: underpinning contracts only. */
export function useUcDefinitions(enabled = true) {
  return useQuery({
    queryKey: vendorKeys.ucDefinitions,
    queryFn: async ({ signal }) => (await api.get<SlaDefinition[]>('/api/sla-definitions', undefined, signal)).filter((d) => d.kind === 'uc'),
    staleTime: 60_000,
    enabled,
  });
}
