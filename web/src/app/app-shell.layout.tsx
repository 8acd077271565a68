import { Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Dropdown, Layout, Menu, Space, Spin, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { LockOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useIsMobile } from '../shared/use-is-mobile';
import { NotificationBell } from '../features/notifications/notification-bell.component';
import { useAuth, useMe } from './auth-context';
import { LanguageSwitch } from './language-switch.component';
import { type NavItem, visibleNavItems } from './navigation';
import { notifyError } from './notifier';

const SECTION_LABELS = {
  admin: 'nav.admin',
  settings: 'nav.settings',
} as const;

function useMenuItems(items: NavItem[]): MenuProps['items'] {
  const { t } = useTranslation();
  return useMemo(() => {
    const entry = (item: NavItem) => ({
      key: item.key,
      icon: item.icon,
      label: (
        <span data-testid={`nav-${item.key}`}>
          {t(item.labelKey)}
          {item.suffix}
        </span>
      ),
    });
    const result: NonNullable<MenuProps['items']> = [];
    for (const section of ['main', 'admin', 'settings', 'personal'] as const) {
      const inSection = items.filter((item) => item.section === section);
      if (inSection.length === 0) continue;
      if (section === 'admin' || section === 'settings') {
        result.push({ type: 'group', key: section, label: t(SECTION_LABELS[section]), children: inSection.map(entry) });
      } else {
        if (section === 'personal' && result.length > 0) result.push({ type: 'divider', key: 'divider-personal' });
        result.push(...inSection.map(entry));
      }
    }
    return result;
  }, [items, t]);
}

function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', label: t('header.signedInAs', { name: `${me.displayName} · ${me.orgName}` }), disabled: true },
          { type: 'divider' },
          { key: 'password', icon: <LockOutlined />, label: <span data-testid="menu-change-password">{t('header.changePassword')}</span> },
          { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('header.logout')}</span> },
        ],
        onClick: ({ key }) => {
          if (key === 'password') navigate('/change-password');
          if (key === 'logout') {
            logout()
              .catch(notifyError)
              .finally(() => navigate('/login', { replace: true }));
          }
        },
      }}
    >
      <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
        <span className="ts-user-name">{me.displayName}</span>
      </Button>
    </Dropdown>
  );
}

export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { token } = theme.useToken();

  const navItems = useMemo(() => visibleNavItems(me.permissions), [me.permissions]);
  const menuItems = useMenuItems(navItems);
  const selected = navItems.find((item) => location.pathname.startsWith(item.path))?.key;

  const menu = (
    <Menu
      mode="inline"
      items={menuItems}
      selectedKeys={selected ? [selected] : []}
      onClick={({ key }) => {
        const target = navItems.find((item) => item.key === key);
        if (target) navigate(target.path);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const brand = (
    <Typography.Text strong style={{ fontSize: 18, whiteSpace: 'nowrap' }} data-testid="app-brand">
      {t('app.name')}
    </Typography.Text>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isMobile && (
        <Layout.Sider width={220} breakpoint="lg" theme="light" style={{ borderInlineEnd: `1px solid ${token.colorSplit}` }}>
          <div style={{ padding: '16px 24px' }}>{brand}</div>
          <nav aria-label={t('app.name')}>{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            paddingInline: isMobile ? 8 : 24,
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorSplit}`,
          }}
        >
          {isMobile && (
            <>
              <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t('nav.openMenu')} data-testid="nav-toggle" />
              {brand}
            </>
          )}
          <div style={{ flex: 1 }} />
          <Space size={isMobile ? 0 : 8}>
            <NotificationBell />
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: isMobile ? 12 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 64 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {isMobile && (
        <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" size={260} title={brand} styles={{ body: { padding: 0 } }}>
          <nav aria-label={t('app.name')}>{menu}</nav>
        </Drawer>
      )}
    </Layout>
  );
}
