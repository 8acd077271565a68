import { lazy, Suspense, type ComponentType } from 'react';
import { Route, Routes } from 'react-router';
import { FullPageSpin, HomeRedirect, NotFound, RequireAuth, RequirePermission } from './route-guards.component';

/** React.lazy wants a default export; the project uses named exports only. */
function lazyNamed<K extends string, M extends Record<K, ComponentType>>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

// Every page is its own chunk: the login page downloads no admin, audit or incident code.
const AppShell = lazyNamed(() => import('./app-shell.layout'), 'AppShell');
const LoginPage = lazyNamed(() => import('../features/auth/login.page'), 'LoginPage');
const ChangePasswordPage = lazyNamed(() => import('../features/auth/change-password.page'), 'ChangePasswordPage');
const ApiTokensPage = lazyNamed(() => import('../features/auth/api-tokens.page'), 'ApiTokensPage');
const IncidentListPage = lazyNamed(() => import('../features/incidents/incident-list.page'), 'IncidentListPage');
const IncidentNewPage = lazyNamed(() => import('../features/incidents/incident-new.page'), 'IncidentNewPage');
const IncidentDetailPage = lazyNamed(() => import('../features/incidents/incident-detail.page'), 'IncidentDetailPage');
const UsersPage = lazyNamed(() => import('../features/admin/users.page'), 'UsersPage');
const OrganizationsPage = lazyNamed(() => import('../features/admin/organizations.page'), 'OrganizationsPage');
const GroupsPage = lazyNamed(() => import('../features/admin/groups.page'), 'GroupsPage');
const RolesPage = lazyNamed(() => import('../features/admin/roles.page'), 'RolesPage');
const AuditLogPage = lazyNamed(() => import('../features/audit/audit-log.page'), 'AuditLogPage');
const PriorityMatrixPage = lazyNamed(() => import('../features/settings/priority-matrix.page'), 'PriorityMatrixPage');
const CalendarListPage = lazyNamed(() => import('../features/calendars/calendar-list.page'), 'CalendarListPage');
const CalendarDetailPage = lazyNamed(() => import('../features/calendars/calendar-detail.page'), 'CalendarDetailPage');
const SlaListPage = lazyNamed(() => import('../features/sla/sla-list.page'), 'SlaListPage');
const SlaNewPage = lazyNamed(() => import('../features/sla/sla-edit.page'), 'SlaNewPage');
const SlaDetailPage = lazyNamed(() => import('../features/sla/sla-edit.page'), 'SlaDetailPage');
const ServiceListPage = lazyNamed(() => import('../features/services/service-list.page'), 'ServiceListPage');
const ServiceDetailPage = lazyNamed(() => import('../features/services/service-detail.page'), 'ServiceDetailPage');
const CiListPage = lazyNamed(() => import('../features/cmdb/ci-list.page'), 'CiListPage');
const CiDetailPage = lazyNamed(() => import('../features/cmdb/ci-detail.page'), 'CiDetailPage');
const CiClassesPage = lazyNamed(() => import('../features/cmdb/ci-classes.page'), 'CiClassesPage');
const BaselineListPage = lazyNamed(() => import('../features/cmdb/baseline-list.page'), 'BaselineListPage');
const BaselineDetailPage = lazyNamed(() => import('../features/cmdb/baseline-detail.page'), 'BaselineDetailPage');
const AuditPage = lazyNamed(() => import('../features/cmdb/audit.page'), 'AuditPage');
const AssetListPage = lazyNamed(() => import('../features/assets/asset-list.page'), 'AssetListPage');
const AssetDetailPage = lazyNamed(() => import('../features/assets/asset-detail.page'), 'AssetDetailPage');
const AssetByTagPage = lazyNamed(() => import('../features/assets/asset-by-tag.page'), 'AssetByTagPage');
const AssetLabelsPage = lazyNamed(() => import('../features/assets/asset-labels.page'), 'AssetLabelsPage');
const SparePartListPage = lazyNamed(() => import('../features/assets/spare-part-list.page'), 'SparePartListPage');
const SparePartDetailPage = lazyNamed(() => import('../features/assets/spare-part-detail.page'), 'SparePartDetailPage');
const VendorListPage = lazyNamed(() => import('../features/vendors/vendor-list.page'), 'VendorListPage');
const VendorDetailPage = lazyNamed(() => import('../features/vendors/vendor-detail.page'), 'VendorDetailPage');
const RepairListPage = lazyNamed(() => import('../features/vendors/repair-list.page'), 'RepairListPage');
const RepairDetailPage = lazyNamed(() => import('../features/vendors/repair-detail.page'), 'RepairDetailPage');
const ReleaseListPage = lazyNamed(() => import('../features/releases/release-list.page'), 'ReleaseListPage');
const ReleaseNewPage = lazyNamed(() => import('../features/releases/release-new.page'), 'ReleaseNewPage');
const ReleaseDetailPage = lazyNamed(() => import('../features/releases/release-detail.page'), 'ReleaseDetailPage');
const NotificationsPage = lazyNamed(() => import('../features/notifications/notifications.page'), 'NotificationsPage');
const NotificationPreferencesPage = lazyNamed(() => import('../features/notifications/notification-preferences.page'), 'NotificationPreferencesPage');
const NotificationChannelsPage = lazyNamed(() => import('../features/notifications/notification-channels.page'), 'NotificationChannelsPage');
const MyApprovalsPage = lazyNamed(() => import('../features/approvals/my-approvals.page'), 'MyApprovalsPage');
const ApprovalLinkPage = lazyNamed(() => import('../features/approvals/approval-link.page'), 'ApprovalLinkPage');
const ApprovalSettingsPage = lazyNamed(() => import('../features/approvals/cab-groups.card'), 'ApprovalSettingsPage');
const WorkflowListPage = lazyNamed(() => import('../features/workflows/workflow-list.page'), 'WorkflowListPage');
const WorkflowEditorPage = lazyNamed(() => import('../features/workflows/workflow-editor.page'), 'WorkflowEditorPage');
const CataloguePage = lazyNamed(() => import('../features/requests/catalogue.page'), 'CataloguePage');
const RequestNewPage = lazyNamed(() => import('../features/requests/request-new.page'), 'RequestNewPage');
const RequestListPage = lazyNamed(() => import('../features/requests/request-list.page'), 'RequestListPage');
const RequestDetailPage = lazyNamed(() => import('../features/requests/request-detail.page'), 'RequestDetailPage');
const RequestTypesPage = lazyNamed(() => import('../features/requests/request-types.page'), 'RequestTypesPage');
const RequestTypeEditPage = lazyNamed(() => import('../features/requests/request-type-edit.page'), 'RequestTypeEditPage');
const ChangeListPage = lazyNamed(() => import('../features/changes/change-list.page'), 'ChangeListPage');
const ChangeNewPage = lazyNamed(() => import('../features/changes/change-new.page'), 'ChangeNewPage');
const ChangeDetailPage = lazyNamed(() => import('../features/changes/change-detail.page'), 'ChangeDetailPage');
const ChangeCalendarPage = lazyNamed(() => import('../features/changes/change-calendar.page'), 'ChangeCalendarPage');
const ChangeReportsPage = lazyNamed(() => import('../features/changes/change-reports.page'), 'ChangeReportsPage');
const ChangeWindowsPage = lazyNamed(() => import('../features/changes/change-windows.page'), 'ChangeWindowsPage');
const ProblemListPage = lazyNamed(() => import('../features/problems/problem-list.page'), 'ProblemListPage');
const ProblemDetailPage = lazyNamed(() => import('../features/problems/problem-detail.page'), 'ProblemDetailPage');
const ProblemReportsPage = lazyNamed(() => import('../features/problems/problem-reports.page'), 'ProblemReportsPage');
const KnowledgeListPage = lazyNamed(() => import('../features/knowledge/knowledge-list.page'), 'KnowledgeListPage');
const KnowledgeArticlePage = lazyNamed(() => import('../features/knowledge/knowledge-article.page'), 'KnowledgeArticlePage');

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* Signed approval links from e-mail: public, the token is the credential; confirming decides. */}
        <Route path="/approve/:token" element={<ApprovalLinkPage />} />
        <Route element={<RequireAuth />}>
          <Route path="/change-password" element={<ChangePasswordPage />} />
          {/* The label sheet prints without the app shell. */}
          <Route path="/assets/labels" element={<RequirePermission permission="asset.read"><AssetLabelsPage /></RequirePermission>} />
          <Route element={<AppShell />}>
            <Route index element={<HomeRedirect />} />
            <Route path="incidents" element={<RequirePermission permission="ticket.read"><IncidentListPage /></RequirePermission>} />
            <Route path="incidents/new" element={<RequirePermission permission="ticket.create"><IncidentNewPage /></RequirePermission>} />
            <Route path="incidents/:id" element={<RequirePermission permission="ticket.read"><IncidentDetailPage /></RequirePermission>} />
            <Route path="services" element={<RequirePermission permission="service.read"><ServiceListPage /></RequirePermission>} />
            <Route path="services/:id" element={<RequirePermission permission="service.read"><ServiceDetailPage /></RequirePermission>} />
            <Route path="cmdb" element={<RequirePermission permission="cmdb.read"><CiListPage /></RequirePermission>} />
            <Route path="cmdb/cis/:id" element={<RequirePermission permission="cmdb.read"><CiDetailPage /></RequirePermission>} />
            <Route path="cmdb/baselines" element={<RequirePermission permission="cmdb.audit"><BaselineListPage /></RequirePermission>} />
            <Route path="cmdb/baselines/:id" element={<RequirePermission permission="cmdb.audit"><BaselineDetailPage /></RequirePermission>} />
            <Route path="cmdb/audits" element={<RequirePermission permission="cmdb.audit"><AuditPage /></RequirePermission>} />
            <Route path="assets" element={<RequirePermission permission="asset.read"><AssetListPage /></RequirePermission>} />
            <Route path="assets/by-tag/:tag" element={<RequirePermission permission="asset.read"><AssetByTagPage /></RequirePermission>} />
            <Route path="assets/:id" element={<RequirePermission permission="asset.read"><AssetDetailPage /></RequirePermission>} />
            <Route path="spare-parts" element={<RequirePermission permission="asset.read"><SparePartListPage /></RequirePermission>} />
            <Route path="spare-parts/:id" element={<RequirePermission permission="asset.read"><SparePartDetailPage /></RequirePermission>} />
            <Route path="vendors" element={<RequirePermission permission="vendor.read"><VendorListPage /></RequirePermission>} />
            <Route path="vendors/:id" element={<RequirePermission permission="vendor.read"><VendorDetailPage /></RequirePermission>} />
            <Route path="repairs" element={<RequirePermission permission="vendor.read"><RepairListPage /></RequirePermission>} />
            <Route path="repairs/:id" element={<RequirePermission permission="vendor.read"><RepairDetailPage /></RequirePermission>} />
            <Route path="releases" element={<RequirePermission permission="ticket.read"><ReleaseListPage /></RequirePermission>} />
            <Route path="releases/new" element={<RequirePermission permission="release.manage"><ReleaseNewPage /></RequirePermission>} />
            <Route path="releases/:id" element={<RequirePermission permission="ticket.read"><ReleaseDetailPage /></RequirePermission>} />
            <Route path="problems" element={<RequirePermission permission="problem.manage"><ProblemListPage /></RequirePermission>} />
            <Route path="problems/reports" element={<RequirePermission permission="problem.manage"><ProblemReportsPage /></RequirePermission>} />
            <Route path="problems/:id" element={<RequirePermission permission="ticket.read"><ProblemDetailPage /></RequirePermission>} />
            <Route path="knowledge" element={<RequirePermission permission="knowledge.read"><KnowledgeListPage /></RequirePermission>} />
            <Route path="knowledge/:id" element={<RequirePermission permission="knowledge.read"><KnowledgeArticlePage /></RequirePermission>} />
            <Route path="settings/ci-classes" element={<RequirePermission permission="cmdb.class.manage"><CiClassesPage /></RequirePermission>} />
            <Route path="admin/users" element={<RequirePermission permission="user.read"><UsersPage /></RequirePermission>} />
            <Route path="admin/organizations" element={<RequirePermission permission="org.read"><OrganizationsPage /></RequirePermission>} />
            <Route path="admin/groups" element={<RequirePermission permission="group.read"><GroupsPage /></RequirePermission>} />
            <Route path="admin/roles" element={<RequirePermission permission="role.read"><RolesPage /></RequirePermission>} />
            <Route path="audit" element={<RequirePermission permission="audit.read"><AuditLogPage /></RequirePermission>} />
            <Route path="settings/priority-matrix" element={<RequirePermission permission="settings.manage"><PriorityMatrixPage /></RequirePermission>} />
            <Route path="settings/calendars" element={<RequirePermission permission="settings.manage"><CalendarListPage /></RequirePermission>} />
            <Route path="settings/calendars/:id" element={<RequirePermission permission="settings.manage"><CalendarDetailPage /></RequirePermission>} />
            <Route path="settings/sla" element={<RequirePermission permission="settings.manage"><SlaListPage /></RequirePermission>} />
            <Route path="settings/sla/new" element={<RequirePermission permission="settings.manage"><SlaNewPage /></RequirePermission>} />
            <Route path="settings/sla/:id" element={<RequirePermission permission="settings.manage"><SlaDetailPage /></RequirePermission>} />
            <Route path="settings/notification-channels" element={<RequirePermission permission="notification.manage"><NotificationChannelsPage /></RequirePermission>} />
            <Route path="settings/workflows" element={<RequirePermission permission="workflow.manage"><WorkflowListPage /></RequirePermission>} />
            <Route path="settings/workflows/:key" element={<RequirePermission permission="workflow.manage"><WorkflowEditorPage /></RequirePermission>} />
            <Route path="requests/catalogue" element={<RequirePermission permission="ticket.create"><CataloguePage /></RequirePermission>} />
            <Route path="requests/new/:key" element={<RequirePermission permission="ticket.create"><RequestNewPage /></RequirePermission>} />
            <Route path="requests" element={<RequirePermission permission="ticket.create"><RequestListPage /></RequirePermission>} />
            <Route path="requests/:id" element={<RequirePermission permission="ticket.read"><RequestDetailPage /></RequirePermission>} />
            <Route path="settings/request-types" element={<RequirePermission permission="request.type.manage"><RequestTypesPage /></RequirePermission>} />
            <Route path="settings/request-types/:id" element={<RequirePermission permission="request.type.manage"><RequestTypeEditPage /></RequirePermission>} />
            <Route path="changes" element={<RequirePermission permission="ticket.read"><ChangeListPage /></RequirePermission>} />
            <Route path="changes/new" element={<RequirePermission permission="change.manage"><ChangeNewPage /></RequirePermission>} />
            <Route path="changes/calendar" element={<RequirePermission permission="ticket.read"><ChangeCalendarPage /></RequirePermission>} />
            <Route path="changes/reports" element={<RequirePermission permission="change.manage"><ChangeReportsPage /></RequirePermission>} />
            <Route path="changes/windows" element={<RequirePermission permission="ticket.read"><ChangeWindowsPage /></RequirePermission>} />
            <Route path="changes/:id" element={<RequirePermission permission="ticket.read"><ChangeDetailPage /></RequirePermission>} />
            <Route path="notifications" element={<NotificationsPage />} />
            <Route path="approvals" element={<MyApprovalsPage />} />
            <Route path="settings/approvals" element={<RequirePermission permission="settings.manage"><ApprovalSettingsPage /></RequirePermission>} />
            <Route path="settings/notifications" element={<NotificationPreferencesPage />} />
            <Route path="me/tokens" element={<ApiTokensPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Route>
      </Routes>
    </Suspense>
  );
}
