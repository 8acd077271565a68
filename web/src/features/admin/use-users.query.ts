import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserRequest, Role, User } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { Page, UserWithPassword } from '../../shared/contract-types';

export interface UserListParams {
  q?: string;
  orgId?: number;
  role?: Role;
  page: number;
  pageSize: number;
}

export interface UpdateUserInput {
  displayName?: string;
  email?: string | null;
  phone?: string | null;
  managerId?: number | null;
  roles?: Role[];
  status?: User['status'];
}

const usersKey = ['admin', 'users'] as const;

export function useUsers(params: UserListParams) {
  return useQuery({
    queryKey: [...usersKey, params],
    queryFn: ({ signal }) => api.get<Page<User>>('/api/users', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Users for pickers in admin screens (group members, lead); /api/users caps a page at 200. */
export function useUserDirectory(q: string, enabled = true) {
  return useQuery({
    queryKey: [...usersKey, 'directory', q],
    queryFn: ({ signal }) => api.get<Page<User>>('/api/users', { q: q || undefined, pageSize: 200 }, signal),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: usersKey });
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (request: CreateUserRequest) => api.post<UserWithPassword>('/api/users', request),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateUserInput }) => api.patch<User>(`/api/users/${id}`, patch),
    onSuccess: invalidate,
  });
}

export function useResetPassword() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: number) => api.post<UserWithPassword>(`/api/users/${id}/reset-password`),
    onSuccess: invalidate,
  });
}

export function useUnlockUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: number) => api.post<User>(`/api/users/${id}/unlock`),
    onSuccess: invalidate,
  });
}
