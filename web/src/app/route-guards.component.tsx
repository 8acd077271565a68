import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission } from '@tianshu/contracts';
import { useAuth } from './auth-context';
import { errorText } from './notifier';
import { visibleNavItems } from './navigation';

export function FullPageSpin() {
  return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
}

/** Signed-in area: unknown users go to login, users with a forced change go to change-password. */
export function RequireAuth() {
  const { t } = useTranslation();
  const { me, loading, loadError, reload } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (loadError && !me) {
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={errorText(loadError)}
        extra={<Button onClick={() => void reload()}>{t('common.reload')}</Button>}
      />
    );
  }
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.mustChangePassword && location.pathname !== '/change-password') {
    return <Navigate to="/change-password" replace />;
  }
  return <Outlet />;
}

export function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title="403" subTitle={t('common.forbidden')} data-testid="forbidden" />;
}

export function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('common.notFound')} data-testid="not-found" />;
}

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <Forbidden />;
}

/** `/` goes to the first page the user may see (incidents for most, admin pages for admins). */
export function HomeRedirect() {
  const { me } = useAuth();
  const first = visibleNavItems(me?.permissions ?? [])[0];
  return <Navigate to={first?.path ?? '/me/tokens'} replace />;
}
