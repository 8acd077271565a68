import type { ReactNode } from 'react';
import { Empty, Flex, Space, Spin, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { IncidentAction, IncidentState, TicketEvent } from '@tianshu/contracts';
import { zhCN } from '../../../app/i18n/zh-cn';
import { CHANNELS, INCIDENT_ACTIONS, INCIDENT_STATES, PENDING_REASONS, RESOLUTION_CODES } from '../../../shared/enums';
import { formatDateTimeSeconds } from '../../../shared/format';
import { StateTag } from '../../../shared/incident-tags.component';
import {
  actionLabel,
  channelLabel,
  levelLabel,
  pendingReasonLabel,
  priorityLabel,
  resolutionCodeLabel,
  stateLabel,
} from '../../../shared/labels';
import { MarkdownView } from '../../../shared/markdown-view.component';
import { slaEventColor, slaEventText } from '../../sla/sla-format';
import { currentLocale } from '../../../app/i18n/i18n';
import { approvalEventColor, approvalEventText } from '../../approvals/approval-format';

type FieldKey = keyof typeof zhCN.incident.field;

function isFieldKey(field: string): field is FieldKey {
  return Object.hasOwn(zhCN.incident.field, field);
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function fieldLabel(t: TFunction, field: string): string {
  return isFieldKey(field) ? t(`incident.field.${field}`) : field;
}

/** Display names for ids stored in events (assignment changes carry ids only). */
export interface NameDirectory {
  users: ReadonlyMap<number, string>;
  groups: ReadonlyMap<number, string>;
  /** SLA definition names, for clock events that carry only the id (warnings, escalations). */
  slaDefinitions?: ReadonlyMap<number, string>;
}

const USER_FIELDS = new Set(['assigneeId', 'requesterId']);

/** Turns stored codes (priority 2, state "resolved") into the words the UI uses elsewhere. */
function fieldValue(t: TFunction, field: string, value: unknown, names?: NameDirectory): string {
  if (value === null || value === undefined || value === '') return t('incident.event.empty');
  if (typeof value === 'number' && USER_FIELDS.has(field)) return names?.users.get(value) ?? t('common.unknownUser', { id: value });
  if (typeof value === 'number' && field === 'assignmentGroupId') return names?.groups.get(value) ?? `#${value}`;
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (field === 'priority' && typeof value === 'number') return priorityLabel(t, value);
  if ((field === 'impact' || field === 'urgency') && typeof value === 'number') return levelLabel(t, value);
  if (field === 'state' && isOneOf(value, INCIDENT_STATES)) return stateLabel(t, value);
  if (field === 'channel' && isOneOf(value, CHANNELS)) return channelLabel(t, value);
  if (field === 'pendingReason' && isOneOf(value, PENDING_REASONS)) return pendingReasonLabel(t, value);
  if (field === 'resolutionCode' && isOneOf(value, RESOLUTION_CODES)) return resolutionCodeLabel(t, value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

function readChanges(data: Record<string, unknown>): FieldChange[] {
  const changes = data['changes'];
  if (!Array.isArray(changes)) return [];
  return changes.flatMap((change: unknown) => {
    if (typeof change !== 'object' || change === null) return [];
    const record = change as Record<string, unknown>;
    const field = record['field'];
    if (typeof field !== 'string') return [];
    // Prefer the display names the server may add next to ids (group, assignee, requester).
    const from = record['fromName'] ?? record['fromLabel'] ?? record['from'];
    const to = record['toName'] ?? record['toLabel'] ?? record['to'];
    return [{ field, from, to }];
  });
}

function ChangeList({ changes, names }: { changes: FieldChange[]; names: NameDirectory }) {
  const { t } = useTranslation();
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {changes.map((change, index) => (
        <li key={`${change.field}-${index}`} data-testid={`change-${change.field}`}>
          <Typography.Text type="secondary">{t('common.labelColon', { label: fieldLabel(t, change.field) })}</Typography.Text>
          <Typography.Text delete type="secondary">
            {fieldValue(t, change.field, change.from, names)}
          </Typography.Text>
          {' → '}
          <Typography.Text>{fieldValue(t, change.field, change.to, names)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

function text(data: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = data[key];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

function EventBody({ event, names }: { event: TicketEvent; names: NameDirectory }): ReactNode {
  const { t } = useTranslation();
  const data = event.data;
  const changes = readChanges(data);
  const parts: ReactNode[] = [];

  if (event.kind === 'transition') {
    const from = data['from'];
    const to = data['to'];
    if (isOneOf<IncidentState>(from, INCIDENT_STATES) && isOneOf<IncidentState>(to, INCIDENT_STATES) && from !== to) {
      parts.push(
        <Space key="states" size={4}>
          <StateTag state={from} />→<StateTag state={to} />
        </Space>,
      );
    }
    const extra = ['pendingReason', 'resolutionCode', 'resolutionNotes'].flatMap((field) =>
      data[field] !== undefined && data[field] !== null ? [{ field, from: null, to: data[field] }] : [],
    );
    for (const item of extra) {
      parts.push(
        <div key={item.field}>
          <Typography.Text type="secondary">{t('common.labelColon', { label: fieldLabel(t, item.field) })}</Typography.Text>
          {fieldValue(t, item.field, item.to)}
        </div>,
      );
    }
  }
  if (changes.length > 0) parts.push(<ChangeList key="changes" changes={changes} names={names} />);
  if (event.kind === 'attachment') {
    const id = data['attachmentId'];
    const filename = text(data, 'filename') ?? '';
    if (typeof id === 'number') {
      parts.push(
        <a key="file" href={`/api/attachments/${id}/download`} data-testid={`event-attachment-${id}`}>
          {filename}
        </a>,
      );
    }
  }
  if (event.body) {
    parts.push(
      <div key="body" style={{ marginTop: 4 }}>
        <MarkdownView source={event.body} />
      </div>,
    );
  }
  return parts;
}

function eventTitle(t: TFunction, event: TicketEvent, names: NameDirectory): string {
  if (event.kind === 'sla') return slaEventText(t, event.data, names.slaDefinitions);
  if (event.kind === 'approval') return approvalEventText(t, currentLocale(), event.data, event.actorName);
  const actor = event.actorName ?? t('common.system');
  if (event.kind === 'transition') {
    const action = event.data['action'];
    return isOneOf<IncidentAction>(action, INCIDENT_ACTIONS)
      ? t('incident.event.transition', { actor, action: actionLabel(t, action) })
      : t('incident.event.transitionPlain', { actor });
  }
  return t(`incident.event.${event.kind}`, { actor });
}

const KIND_COLORS: Record<TicketEvent['kind'], string> = {
  created: 'blue',
  comment: 'green',
  work_note: 'orange',
  field_change: 'gray',
  transition: 'blue',
  assignment: 'cyan',
  attachment: 'gray',
  sla: 'gray',
  approval: 'purple',
};

interface IncidentTimelineProps {
  events: TicketEvent[] | undefined;
  loading: boolean;
  names: NameDirectory;
}

export function IncidentTimeline({ events, loading, names }: IncidentTimelineProps) {
  const { t } = useTranslation();
  if (loading && !events) return <Spin />;
  if (!events || events.length === 0) return <Empty description={t('incident.detail.noEvents')} />;
  return (
    <Timeline
      data-testid="incident-timeline"
      items={events.map((event) => ({
        key: event.id,
        color: event.kind === 'sla' ? slaEventColor(event.data) : event.kind === 'approval' ? approvalEventColor(event.data) : KIND_COLORS[event.kind],
        content: (
          <div
            data-testid={`event-${event.kind}`}
            data-event-id={event.id}
            data-sla-event={event.kind === 'sla' ? String(event.data['event'] ?? '') : undefined}
            style={
              event.internal || event.kind === 'work_note'
                ? { background: '#fffbe6', border: '1px solid #ffe58f', borderRadius: 6, padding: '6px 10px' }
                : undefined
            }
          >
            <Flex wrap gap={8} align="baseline">
              <Typography.Text strong>{eventTitle(t, event, names)}</Typography.Text>
              {(event.internal || event.kind === 'work_note') && <Tag color="orange">{t('incident.event.internal')}</Tag>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTimeSeconds(event.at)}
              </Typography.Text>
            </Flex>
            <EventBody event={event} names={names} />
          </div>
        ),
      }))}
    />
  );
}
