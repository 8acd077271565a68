import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type {
  Asset,
  AssetTransitionRequest,
  CreateAssetRequest,
  CreateSparePartMovementRequest,
  CreateSparePartRequest,
  CreateSparePartTestRequest,
  SparePartDetail,
  SparePartMovementResult,
  SparePartTest,
  UpdateAssetRequest,
  UpdateSparePartRequest,
} from './asset-types';
import { assetKeys } from './use-assets.query';

function useRefreshAssets() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: assetKeys.all });
}

export function useCreateAsset() {
  const onSuccess = useRefreshAssets();
  // The form shows the error itself.
  return useMutation({ mutationFn: (r: CreateAssetRequest) => api.post<Asset>('/api/assets', r), onSuccess, meta: { silent: true } });
}

export function useUpdateAsset(id: number) {
  const onSuccess = useRefreshAssets();
  return useMutation({ mutationFn: (r: UpdateAssetRequest) => api.patch<Asset>(`/api/assets/${id}`, r), onSuccess, meta: { silent: true } });
}

export function useTransitionAsset(id: number) {
  const onSuccess = useRefreshAssets();
  return useMutation({ mutationFn: (r: AssetTransitionRequest) => api.post<Asset>(`/api/assets/${id}/transition`, r), onSuccess, meta: { silent: true } });
}

export function useCreateSparePart() {
  const onSuccess = useRefreshAssets();
  return useMutation({ mutationFn: (r: CreateSparePartRequest) => api.post<SparePartDetail>('/api/spare-parts', r), onSuccess, meta: { silent: true } });
}

export function useUpdateSparePart(id: number) {
  const onSuccess = useRefreshAssets();
  return useMutation({ mutationFn: (r: UpdateSparePartRequest) => api.patch<SparePartDetail>(`/api/spare-parts/${id}`, r), onSuccess, meta: { silent: true } });
}

export function useRecordMovement(id: number) {
  const onSuccess = useRefreshAssets();
  return useMutation({
    mutationFn: (r: CreateSparePartMovementRequest) => api.post<SparePartMovementResult>(`/api/spare-parts/${id}/movements`, r),
    onSuccess,
    meta: { silent: true },
  });
}

export function useRecordTest(id: number) {
  const onSuccess = useRefreshAssets();
  return useMutation({ mutationFn: (r: CreateSparePartTestRequest) => api.post<SparePartTest>(`/api/spare-parts/${id}/tests`, r), onSuccess, meta: { silent: true } });
}
