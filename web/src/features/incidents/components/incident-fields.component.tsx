import type { ReactNode } from 'react';
import { Descriptions, Tag } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '@tianshu/contracts';
import { formatDateTime } from '../../../shared/format';
import { PriorityTag, StateTag } from '../../../shared/incident-tags.component';
import { channelLabel, levelLabel, pendingReasonLabel, resolutionCodeLabel } from '../../../shared/labels';

/** The incident's fields as a label/value list; empty optional fields are left out. */
export function IncidentFields({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const none = t('common.none');
  const rows: [string, string, ReactNode, boolean?][] = [
    ['state', t('incident.field.state'), <StateTag state={ticket.state} label={ticket.workflow.state.label} />],
    ['priority', t('incident.field.priority'), <PriorityTag priority={ticket.priority} />],
    ['impact', t('incident.field.impact'), levelLabel(t, ticket.impact)],
    ['urgency', t('incident.field.urgency'), levelLabel(t, ticket.urgency)],
    ['major', t('incident.field.major'), ticket.major ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')],
    ['org', t('incident.field.orgName'), ticket.orgName],
    ['requester', t('incident.field.requesterName'), ticket.requesterName ?? none],
    ['callerName', t('incident.field.callerName'), ticket.callerName, ticket.callerName !== null],
    ['callerPhone', t('incident.field.callerPhone'), ticket.callerPhone, ticket.callerPhone !== null],
    ['channel', t('incident.field.channel'), channelLabel(t, ticket.channel)],
    ['category', t('incident.field.category'), ticket.category ?? none],
    ['service', t('incident.field.service'), ticket.service ?? none],
    ['group', t('incident.field.assignmentGroupName'), ticket.assignmentGroupName ?? none],
    ['assignee', t('incident.field.assigneeName'), ticket.assigneeName ?? none],
    ['pendingReason', t('incident.field.pendingReason'), ticket.pendingReason && pendingReasonLabel(t, ticket.pendingReason), ticket.pendingReason !== null],
    ['resolutionCode', t('incident.field.resolutionCode'), ticket.resolutionCode && resolutionCodeLabel(t, ticket.resolutionCode), ticket.resolutionCode !== null],
    ['resolutionNotes', t('incident.field.resolutionNotes'), ticket.resolutionNotes, ticket.resolutionNotes !== null],
    ['createdAt', t('incident.field.createdAt'), formatDateTime(ticket.createdAt)],
    ['updatedAt', t('incident.field.updatedAt'), formatDateTime(ticket.updatedAt)],
    ['resolvedAt', t('incident.field.resolvedAt'), formatDateTime(ticket.resolvedAt), ticket.resolvedAt !== null],
    ['closedAt', t('incident.field.closedAt'), formatDateTime(ticket.closedAt), ticket.closedAt !== null],
  ];
  const items: DescriptionsProps['items'] = rows
    .filter(([, , , shown]) => shown !== false)
    .map(([key, label, value]) => ({
      key,
      label,
      children: <span data-testid={`field-${key}`}>{value}</span>,
    }));
  return <Descriptions column={1} size="small" items={items} styles={{ label: { width: 96 } }} />;
}
