import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Flex, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { IncidentAction, Ticket } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText } from '../../app/notifier';
import { INCIDENT_ACTIONS } from '../../shared/enums';
import { PriorityTag, StateTag } from '../../shared/incident-tags.component';
import { actionLabel } from '../../shared/labels';
import { MarkdownView } from '../../shared/markdown-view.component';
import { useGroups } from '../../shared/use-directory.query';
import { useIsMobile } from '../../shared/use-is-mobile';
import { IncidentCisCard } from '../cmdb/incident-cis-card.component';
import { IncidentKnownErrorsCard } from '../knowledge/known-error-suggestions.component';
import { IncidentProblemCard } from '../problems/incident-problem-card.component';
import { IncidentOutageCard } from '../services/incident-outage-card.component';
import { TicketClocksCard } from '../sla/ticket-clocks-card.component';
import { useTicketClocks } from '../sla/use-sla.query';
import { IncidentActionModal } from './components/incident-action-modal.component';
import { IncidentAttachments } from './components/incident-attachments.component';
import { WorkflowActions } from '../workflows/workflow-actions.component';
import { IncidentComposer } from './components/incident-composer.component';
import { IncidentEditModal } from './components/incident-edit-modal.component';
import { IncidentFields } from './components/incident-fields.component';
import { IncidentTimeline, type NameDirectory } from './components/incident-timeline.component';
import { incidentKeys, useIncident, useIncidentEvents } from './use-incidents.query';

const FINAL_CATEGORIES: readonly Ticket['stateCategory'][] = ['closed', 'cancelled'];
const PRIMARY_ACTIONS: readonly IncidentAction[] = ['take', 'resolve', 'close'];
const DANGER_ACTIONS: readonly IncidentAction[] = ['cancel'];

function IncidentActions({ ticket, onAction, onEdit }: { ticket: Ticket; onAction: (action: IncidentAction) => void; onEdit?: () => void }) {
  const { t } = useTranslation();
  // Fixed display order; the server alone decides which actions are allowed now.
  const allowed = INCIDENT_ACTIONS.filter((action) => ticket.allowedActions.includes(action));
  return (
    <Flex wrap gap={8} data-testid="incident-actions">
      {allowed.map((action) => (
        <Button
          key={action}
          type={PRIMARY_ACTIONS.includes(action) ? 'primary' : 'default'}
          danger={DANGER_ACTIONS.includes(action)}
          onClick={() => onAction(action)}
          data-testid={`action-${action}`}
        >
          {actionLabel(t, action)}
        </Button>
      ))}
      {onEdit && (
        <Button icon={<EditOutlined />} onClick={onEdit} data-testid="incident-edit">
          {t('incident.detail.edit')}
        </Button>
      )}
    </Flex>
  );
}

export function IncidentDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const ticketQuery = useIncident(id);
  const ticket = ticketQuery.data;
  const events = useIncidentEvents(id, ticket !== undefined);
  const [action, setAction] = useState<IncidentAction | null>(null);
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState(false);
  const groups = useGroups(ticket !== undefined);
  // Shared with the clocks card (same query): names for clock events that carry only an id.
  const clocks = useTicketClocks(id, ticket !== undefined && can('sla.read'));

  // Events store ids; names come from what this page already knows (no extra lookups per id).
  const names = useMemo<NameDirectory>(() => {
    const users = new Map<number, string>();
    for (const event of events.data ?? []) if (event.actorId && event.actorName) users.set(event.actorId, event.actorName);
    if (ticket?.assigneeId && ticket.assigneeName) users.set(ticket.assigneeId, ticket.assigneeName);
    if (ticket?.requesterId && ticket.requesterName) users.set(ticket.requesterId, ticket.requesterName);
    const groupNames = new Map((groups.data ?? []).map((group) => [group.id, group.name]));
    if (ticket?.assignmentGroupId && ticket.assignmentGroupName) groupNames.set(ticket.assignmentGroupId, ticket.assignmentGroupName);
    const slaDefinitions = new Map((clocks.data ?? []).map((clock) => [clock.definitionId, clock.definitionName]));
    return { users, groups: groupNames, slaDefinitions };
  }, [events.data, ticket, groups.data, clocks.data]);

  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id) });
    setConflict(false);
  };

  if (ticketQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!ticket) {
    const error = ticketQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('incident.detail.notFound') : t('common.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="incident-not-found"
        extra={
          <Link to="/incidents">
            <Button>{t('incident.detail.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const mayEdit = can('ticket.work') && !FINAL_CATEGORIES.includes(ticket.stateCategory);
  const extraActions = ticket.workflow.actions.filter((a) => !(INCIDENT_ACTIONS as readonly string[]).includes(a.key));

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <Link to="/incidents" aria-label={t('incident.detail.backToList')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Text type="secondary" data-testid="incident-number" copyable={{ text: ticket.number }}>
            {ticket.number}
          </Typography.Text>
          <StateTag state={ticket.state} label={ticket.workflow.state.label} testId="incident-state" />
          <PriorityTag priority={ticket.priority} testId="incident-priority" />
          {ticket.major && <Tag color="red">{t('incident.field.major')}</Tag>}
        </Space>
        <Typography.Title level={isMobile ? 4 : 3} style={{ margin: 0 }} data-testid="incident-detail-title">
          {ticket.title}
        </Typography.Title>
        <IncidentActions ticket={ticket} onAction={setAction} onEdit={mayEdit ? () => setEditing(true) : undefined} />
        {/* Actions an admin added to the incident workflow get the generic buttons. */}
        {extraActions.length > 0 && <WorkflowActions ticket={{ ...ticket, workflow: { ...ticket.workflow, actions: extraActions } }} />}
      </Flex>

      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t('incident.detail.conflictTitle')}
          description={t('errors.versionConflict')}
          style={{ marginBottom: 16 }}
          data-testid="version-conflict"
          action={
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} data-testid="version-conflict-reload">
              {t('incident.detail.reload')}
            </Button>
          }
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('incident.detail.description')}>
              {ticket.description.trim() ? (
                <MarkdownView source={ticket.description} testId="incident-description-view" />
              ) : (
                <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
              )}
            </Card>
            <Card size="small" title={t('incident.detail.timeline')}>
              <IncidentTimeline events={events.data} loading={events.isFetching} names={names} />
            </Card>
            <Card size="small" title={t('incident.detail.composerTitle')}>
              <IncidentComposer ticketId={ticket.id} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            <TicketClocksCard ticketId={ticket.id} />
            <Card size="small" title={t('incident.detail.fields')}>
              <IncidentFields ticket={ticket} />
            </Card>
            <IncidentOutageCard ticketId={ticket.id} ticketService={ticket.service} />
            {can('cmdb.read') && <IncidentCisCard ticketId={ticket.id} />}
            {can('knowledge.read') && <IncidentKnownErrorsCard ticketId={ticket.id} />}
            {can('problem.manage') && <IncidentProblemCard incident={ticket} />}
            <Card size="small" title={t('incident.detail.attachments')}>
              <IncidentAttachments ticketId={ticket.id} />
            </Card>
          </Flex>
        </Col>
      </Row>

      <IncidentActionModal ticket={ticket} action={action} onClose={() => setAction(null)} onConflict={() => setConflict(true)} />
      <IncidentEditModal ticket={ticket} open={editing} onClose={() => setEditing(false)} onConflict={() => setConflict(true)} />
    </>
  );
}
