import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../app/api-client';
import type {
  CreateContractRequest,
  CreateEvaluationRequest,
  CreateRepairRequest,
  CreateVendorRequest,
  RepairAction,
  RepairDocument,
  RepairOrderDetail,
  RepairOutcome,
  UpdateContractRequest,
  UpdateVendorRequest,
  Vendor,
  VendorContract,
  VendorEvaluation,
} from './vendor-types';
import { approvalKeys } from '../approvals/use-approvals.query';
import { vendorKeys } from './use-vendors.query';

function useRefresh() {
  const queryClient = useQueryClient();
  // Repairs move assets, and estimates and decisions change their cost approval: refresh those too.
  return () => {
    void queryClient.invalidateQueries({ queryKey: vendorKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['assets'] });
    void queryClient.invalidateQueries({ queryKey: approvalKeys.all });
  };
}

export type SaveVendor = { id?: undefined; request: CreateVendorRequest } | { id: number; request: UpdateVendorRequest };

export function useSaveVendor() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: SaveVendor) => (v.id === undefined ? api.post<Vendor>('/api/vendors', v.request) : api.patch<Vendor>(`/api/vendors/${v.id}`, v.request)),
    onSuccess,
    meta: { silent: true },
  });
}

export type SaveContract = { id?: undefined; request: CreateContractRequest } | { id: number; request: UpdateContractRequest };

export function useSaveContract() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (c: SaveContract) =>
      c.id === undefined ? api.post<VendorContract>('/api/vendor-contracts', c.request) : api.patch<VendorContract>(`/api/vendor-contracts/${c.id}`, c.request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useCreateEvaluation(vendorId: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: CreateEvaluationRequest) => api.post<VendorEvaluation>(`/api/vendors/${vendorId}/evaluations`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useCreateRepair() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: CreateRepairRequest) => api.post<RepairOrderDetail>('/api/repairs', request),
    onSuccess,
    meta: { silent: true },
  });
}

export interface TransitionRequest {
  action: RepairAction;
  version: number;
  rmaNumber?: string;
  estimatedCost?: string;
  actualCost?: string;
  outcome?: RepairOutcome;
  comment?: string;
}

export function useRepairTransition(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: TransitionRequest) => api.post<RepairOrderDetail>(`/api/repairs/${id}/transitions`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useAddRepairDocument(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: { name: string; url: string; description: string }) => api.post<RepairDocument>(`/api/repairs/${id}/documents`, request),
    onSuccess,
    meta: { silent: true },
  });
}

/** Uploads a file as a repair document (multipart; apiRequest adds the CSRF header). */
export function useUploadRepairDocument(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: ({ file, description }: { file: File; description?: string }) => {
      const body = new FormData();
      if (description) body.append('description', description);
      body.append('file', file, file.name);
      return apiRequest<RepairDocument>('POST', `/api/repairs/${id}/documents/file`, { body });
    },
    onSuccess,
  });
}
