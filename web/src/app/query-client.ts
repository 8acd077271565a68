import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';
import { notifyError } from './notifier';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: Error;
    /** `silent`: the component shows the failure itself (e.g. a 404 result page). */
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

// These never need a toast: the router redirects, or the page shows a dedicated banner.
const QUIET_CODES = new Set(['AUTH_REQUIRED', 'AUTH_SESSION_EXPIRED', 'AUTH_PASSWORD_CHANGE_REQUIRED', 'VERSION_CONFLICT']);

function report(error: Error, silent: boolean | undefined): void {
  if (silent) return;
  if (error instanceof ApiError && QUIET_CODES.has(error.code)) return;
  if (error.name === 'AbortError') return;
  notifyError(error);
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => report(error, query.meta?.silent) }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => report(error, mutation.meta?.silent),
  }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // A 4xx will not change on retry; only network and server errors are worth repeating.
      retry: (count, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});
