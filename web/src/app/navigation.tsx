import type { ReactNode } from 'react';
import {
  AlertOutlined,
  AppstoreOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  BarChartOutlined,
  BranchesOutlined,
  BugOutlined,
  ReadOutlined,
  ScheduleOutlined,
  StopOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  CloudServerOutlined,
  DatabaseOutlined,
  FieldTimeOutlined,
  FormOutlined,
  ProfileOutlined,
  RocketOutlined,
  FileSearchOutlined,
  InboxOutlined,
  KeyOutlined,
  LaptopOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  SnippetsOutlined,
  SolutionOutlined,
  TeamOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@tianshu/contracts';
import { ApprovalsNavCount } from '../features/approvals/approvals-nav-count.component';

export type NavLabelKey =
  | 'nav.incidents'
  | 'nav.users'
  | 'nav.organizations'
  | 'nav.groups'
  | 'nav.roles'
  | 'nav.audit'
  | 'nav.priorityMatrix'
  | 'nav.calendars'
  | 'nav.apiTokens'
  | 'service.nav'
  | 'sla.nav'
  | 'cmdb.nav'
  | 'cmdb.navClasses'
  | 'cmdbQuality.navBaselines'
  | 'cmdbQuality.navAudits'
  | 'asset.nav'
  | 'asset.navSpareParts'
  | 'vendor.nav'
  | 'vendor.navRepairs'
  | 'notification.nav.inbox'
  | 'notification.nav.preferences'
  | 'notification.nav.channels'
  | 'problem.nav'
  | 'knowledge.nav'
  | 'workflow.nav'
  | 'request.navCatalogue'
  | 'request.navRequests'
  | 'request.navTypes'
  | 'approval.nav'
  | 'approval.navCab'
  | 'change.nav'
  | 'change.navCalendar'
  | 'change.navReports'
  | 'change.navWindows'
  | 'release.nav';

export interface NavItem {
  key: string;
  path: string;
  labelKey: NavLabelKey;
  icon: ReactNode;
  /** Absent: every signed-in user sees it. */
  permission?: Permission;
  section: 'main' | 'admin' | 'settings' | 'personal';
  /** Shown after the label (e.g. a count badge). */
  suffix?: ReactNode;
}

/** One table drives both the menu and the home redirect, so they never disagree. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'incidents', path: '/incidents', labelKey: 'nav.incidents', icon: <AlertOutlined />, permission: 'ticket.read', section: 'main' },
  { key: 'request-catalogue', path: '/requests/catalogue', labelKey: 'request.navCatalogue', icon: <AppstoreOutlined />, permission: 'ticket.create', section: 'main' },
  { key: 'requests', path: '/requests', labelKey: 'request.navRequests', icon: <ProfileOutlined />, permission: 'ticket.create', section: 'main' },
  { key: 'changes', path: '/changes', labelKey: 'change.nav', icon: <BranchesOutlined />, permission: 'change.manage', section: 'main' },
  { key: 'change-calendar', path: '/changes/calendar', labelKey: 'change.navCalendar', icon: <ScheduleOutlined />, permission: 'change.manage', section: 'main' },
  { key: 'change-reports', path: '/changes/reports', labelKey: 'change.navReports', icon: <BarChartOutlined />, permission: 'change.manage', section: 'main' },
  { key: 'problems', path: '/problems', labelKey: 'problem.nav', icon: <BugOutlined />, permission: 'problem.manage', section: 'main' },
  { key: 'knowledge', path: '/knowledge', labelKey: 'knowledge.nav', icon: <ReadOutlined />, permission: 'knowledge.read', section: 'main' },
  { key: 'services', path: '/services', labelKey: 'service.nav', icon: <CloudServerOutlined />, permission: 'service.read', section: 'main' },
  { key: 'cmdb', path: '/cmdb', labelKey: 'cmdb.nav', icon: <DatabaseOutlined />, permission: 'cmdb.read', section: 'main' },
  { key: 'cmdb-baselines', path: '/cmdb/baselines', labelKey: 'cmdbQuality.navBaselines', icon: <SnippetsOutlined />, permission: 'cmdb.audit', section: 'main' },
  { key: 'cmdb-audits', path: '/cmdb/audits', labelKey: 'cmdbQuality.navAudits', icon: <FileSearchOutlined />, permission: 'cmdb.audit', section: 'main' },
  { key: 'assets', path: '/assets', labelKey: 'asset.nav', icon: <LaptopOutlined />, permission: 'asset.read', section: 'main' },
  { key: 'spare-parts', path: '/spare-parts', labelKey: 'asset.navSpareParts', icon: <InboxOutlined />, permission: 'asset.read', section: 'main' },
  { key: 'vendors', path: '/vendors', labelKey: 'vendor.nav', icon: <ShopOutlined />, permission: 'vendor.read', section: 'main' },
  { key: 'repairs', path: '/repairs', labelKey: 'vendor.navRepairs', icon: <ToolOutlined />, permission: 'vendor.read', section: 'main' },
  { key: 'releases', path: '/releases', labelKey: 'release.nav', icon: <RocketOutlined />, permission: 'release.manage', section: 'main' },
  { key: 'users', path: '/admin/users', labelKey: 'nav.users', icon: <UserOutlined />, permission: 'user.read', section: 'admin' },
  { key: 'organizations', path: '/admin/organizations', labelKey: 'nav.organizations', icon: <ApartmentOutlined />, permission: 'org.read', section: 'admin' },
  { key: 'groups', path: '/admin/groups', labelKey: 'nav.groups', icon: <TeamOutlined />, permission: 'group.read', section: 'admin' },
  { key: 'roles', path: '/admin/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined />, permission: 'role.read', section: 'admin' },
  { key: 'audit', path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read', section: 'main' },
  { key: 'settings', path: '/settings/priority-matrix', labelKey: 'nav.priorityMatrix', icon: <SettingOutlined />, permission: 'settings.manage', section: 'settings' },
  { key: 'calendars', path: '/settings/calendars', labelKey: 'nav.calendars', icon: <CalendarOutlined />, permission: 'settings.manage', section: 'settings' },
  { key: 'sla', path: '/settings/sla', labelKey: 'sla.nav', icon: <FieldTimeOutlined />, permission: 'settings.manage', section: 'settings' },
  { key: 'ci-classes', path: '/settings/ci-classes', labelKey: 'cmdb.navClasses', icon: <ClusterOutlined />, permission: 'cmdb.class.manage', section: 'settings' },
  { key: 'notification-channels', path: '/settings/notification-channels', labelKey: 'notification.nav.channels', icon: <NotificationOutlined />, permission: 'notification.manage', section: 'settings' },
  { key: 'workflows', path: '/settings/workflows', labelKey: 'workflow.nav', icon: <NodeIndexOutlined />, permission: 'workflow.manage', section: 'settings' },
  { key: 'request-types', path: '/settings/request-types', labelKey: 'request.navTypes', icon: <FormOutlined />, permission: 'request.type.manage', section: 'settings' },
  { key: 'change-windows', path: '/changes/windows', labelKey: 'change.navWindows', icon: <StopOutlined />, permission: 'change.calendar.manage', section: 'settings' },
  { key: 'cab-groups', path: '/settings/approvals', labelKey: 'approval.navCab', icon: <SolutionOutlined />, permission: 'settings.manage', section: 'settings' },
  { key: 'approvals', path: '/approvals', labelKey: 'approval.nav', icon: <CheckSquareOutlined />, section: 'personal', suffix: <ApprovalsNavCount /> },
  { key: 'notifications', path: '/notifications', labelKey: 'notification.nav.inbox', icon: <BellOutlined />, section: 'personal' },
  { key: 'notification-preferences', path: '/settings/notifications', labelKey: 'notification.nav.preferences', icon: <SettingOutlined />, section: 'personal' },
  { key: 'tokens', path: '/me/tokens', labelKey: 'nav.apiTokens', icon: <KeyOutlined />, section: 'personal' },
];

export function visibleNavItems(permissions: readonly Permission[]): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || permissions.includes(item.permission));
}
