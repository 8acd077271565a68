import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PriorityMatrix } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { directoryKeys } from '../../shared/use-directory.query';

export function useSavePriorityMatrix() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (matrix: PriorityMatrix) => api.put<PriorityMatrix>('/api/settings/priority-matrix', matrix),
    onSuccess: (matrix) => queryClient.setQueryData(directoryKeys.priorityMatrix, matrix),
  });
}
