import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChangePasswordRequest, Locale, LoginRequest, Me, Permission } from '@tianshu/contracts';
import { api, isApiError, setAuthHandlers, setCsrfToken } from './api-client';
import { applyLocale, currentLocale, i18next } from './i18n/i18n';
import { notifyWarning } from './notifier';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

interface AuthContextValue {
  me: Me | null;
  loading: boolean;
  loadError: Error | null;
  can: (permission: Permission) => boolean;
  login: (request: LoginRequest) => Promise<Me>;
  logout: () => Promise<void>;
  changePassword: (request: ChangePasswordRequest) => Promise<Me>;
  changeLocale: (locale: Locale) => Promise<void>;
  reload: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me');
    // Set before any component can issue a write with the old token.
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: fetchMe,
    staleTime: Infinity,
    meta: { silent: true },
  });
  const me = meQuery.data ?? null;

  const acceptMe = useCallback(
    (next: Me | null) => {
      setCsrfToken(next?.csrfToken ?? null);
      queryClient.setQueryData(ME_QUERY_KEY, next);
    },
    [queryClient],
  );

  useEffect(() => {
    setAuthHandlers({
      onUnauthorized: () => {
        // Only a session that existed can expire; an anonymous visitor just sees the login page.
        if (queryClient.getQueryData(ME_QUERY_KEY)) notifyWarning(i18next.t('errors.sessionExpired'), 'session-expired');
        setCsrfToken(null);
        // Drop the previous user's cached data; the router guard then shows the login page.
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
        queryClient.setQueryData(ME_QUERY_KEY, null);
      },
      onPasswordChangeRequired: () => {
        queryClient.setQueryData<Me | null>(ME_QUERY_KEY, (old) => (old ? { ...old, mustChangePassword: true } : old));
      },
      onCsrfFailed: () => {
        void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
      },
    });
    return () => setAuthHandlers(null);
  }, [queryClient]);

  // The user's saved locale wins once they are signed in (it follows them between devices).
  useEffect(() => {
    if (me && me.locale !== currentLocale()) void applyLocale(me.locale);
  }, [me]);

  const login = useCallback(
    async (request: LoginRequest) => {
      const next = await api.post<Me>('/api/auth/login', request);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      acceptMe(next);
      return next;
    },
    [acceptMe, queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      queryClient.clear();
      acceptMe(null);
    }
  }, [acceptMe, queryClient]);

  const changePassword = useCallback(
    async (request: ChangePasswordRequest) => {
      const next = await api.post<Me>('/api/auth/password', request);
      acceptMe(next);
      return next;
    },
    [acceptMe],
  );

  const changeLocale = useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      if (!me) return;
      const next = await api.patch<Me>('/api/auth/me', { locale });
      acceptMe(next);
    },
    [acceptMe, me],
  );

  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  }, [queryClient]);

  const value = useMemo<AuthContextValue>(
    () => ({
      me,
      loading: meQuery.isPending,
      loadError: meQuery.error,
      can: (permission) => me?.permissions.includes(permission) ?? false,
      login,
      logout,
      changePassword,
      changeLocale,
      reload,
    }),
    [me, meQuery.isPending, meQuery.error, login, logout, changePassword, changeLocale, reload],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** For pages behind the auth guard, where a signed-in user is guaranteed. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe used outside the authenticated area');
  return me;
}
