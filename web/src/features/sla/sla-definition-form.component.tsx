import { Card, Checkbox, Flex, Form, Input, InputNumber, Radio, Select, Switch, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PriorityLevel } from '../../shared/contract-types';
import { PENDING_REASONS, PRIORITIES } from '../../shared/enums';
import { pendingReasonLabel, priorityLabel } from '../../shared/labels';
import { useGroups, useOrganizations } from '../../shared/use-directory.query';
import { useCalendars } from '../calendars/use-calendars.query';
import { DurationInput } from './duration-input.component';
import { EscalationsEditor } from './escalations-editor.component';
import type { SlaDraft, SlaResolutionStop, SlaResponseStop, SlaStart, TargetDraft } from './sla-draft';
import { metricLabel, SLA_METRICS } from './sla-format';
import type { SlaKind } from './sla-types';

const KINDS: readonly SlaKind[] = ['sla', 'ola', 'uc'];
const STARTS: readonly SlaStart[] = ['created', 'assigned'];
const RESPONSE_STOPS: readonly SlaResponseStop[] = ['reply_or_accept', 'reply', 'accept'];
const RESOLUTION_STOPS: readonly SlaResolutionStop[] = ['resolved', 'closed'];
const THRESHOLD_SUGGESTIONS = [25, 50, 75, 80, 90, 95];

interface SlaDefinitionFormProps {
  value: SlaDraft;
  onChange: (draft: SlaDraft) => void;
  /** The kind is fixed once created (the API takes it on create only). */
  mode: 'create' | 'edit';
  /** Show "required" hints only once the user tried to save. */
  showProblems: boolean;
}

function parseThresholds(values: (string | number)[]): number[] {
  const out = new Set<number>();
  for (const v of values) {
    const n = Math.round(Number(v));
    if (Number.isFinite(n) && n >= 1 && n <= 99) out.add(n);
  }
  return [...out].sort((a, b) => a - b).slice(0, 5);
}

/** Every field of an SLA definition: header, match, clock conditions, targets per priority, pausing, escalations. */
export function SlaDefinitionForm({ value, onChange, mode, showProblems }: SlaDefinitionFormProps) {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const orgs = useOrganizations();
  const groups = useGroups();
  const set = (patch: Partial<SlaDraft>) => onChange({ ...value, ...patch });
  const setTarget = (priority: PriorityLevel, patch: Partial<TargetDraft>) =>
    set({ targets: { ...value.targets, [priority]: { ...value.targets[priority], ...patch } } });

  const nameMissing = showProblems && !value.name.trim();
  const calendarMissing = showProblems && value.calendarId === null;
  const targetValues = PRIORITIES.flatMap((p) => SLA_METRICS.map((m) => value.targets[p][m]));
  const targetsMissing = showProblems && targetValues.every((v) => v === null);
  const targetsNotPositive = targetValues.some((v) => v !== null && v <= 0);

  const targetColumns: TableColumnsType<{ priority: PriorityLevel }> = [
    { title: t('sla.target.priority'), key: 'priority', width: 90, render: (_v, row) => priorityLabel(t, row.priority) },
    ...SLA_METRICS.map((metric) => ({
      title: metricLabel(t, metric),
      key: metric,
      render: (_v: unknown, row: { priority: PriorityLevel }) => (
        <DurationInput
          value={value.targets[row.priority][metric]}
          onChange={(minutes) => setTarget(row.priority, { [metric]: minutes })}
          label={`P${row.priority} ${metricLabel(t, metric)}`}
          testId={`sla-target-${row.priority}-${metric}`}
        />
      ),
    })),
  ];

  return (
    <Form layout="vertical" component="div">
      <Flex vertical gap={16}>
        <Card size="small" title={t('sla.section.basic')}>
          <Flex wrap gap={16}>
            <Form.Item
              label={t('sla.field.name')}
              required
              validateStatus={nameMissing ? 'error' : undefined}
              help={nameMissing ? t('sla.field.nameRequired') : undefined}
              style={{ minWidth: 260, flex: 2 }}
            >
              <Input value={value.name} maxLength={100} onChange={(e) => set({ name: e.target.value })} autoComplete="off" data-testid="sla-name" />
            </Form.Item>
            <Form.Item label={t('sla.kind.label')} style={{ minWidth: 200 }}>
              <Radio.Group
                value={value.kind}
                disabled={mode === 'edit'}
                onChange={(e) => set({ kind: e.target.value as SlaKind })}
                optionType="button"
                options={KINDS.map((kind) => ({ value: kind, label: <span title={t(`sla.kind.${kind}Long`)} data-testid={`sla-kind-${kind}`}>{t(`sla.kind.${kind}`)}</span> }))}
                data-testid="sla-kind"
              />
            </Form.Item>
            <Form.Item label={t('sla.field.active')}>
              <Switch checked={value.active} onChange={(active) => set({ active })} data-testid="sla-active" />
            </Form.Item>
            <Form.Item label={t('sla.field.rank')} tooltip={t('sla.field.rankHint')}>
              <InputNumber<number> min={0} max={10_000} precision={0} value={value.rank} onChange={(rank) => set({ rank: rank ?? 100 })} data-testid="sla-rank" />
            </Form.Item>
          </Flex>
          <Form.Item
            label={t('sla.field.calendar')}
            required
            tooltip={t('sla.field.calendarHint')}
            validateStatus={calendarMissing ? 'error' : undefined}
            help={calendarMissing ? t('sla.field.calendarRequired') : undefined}
          >
            <Select<number>
              showSearch={{ optionFilterProp: 'label' }}
              value={value.calendarId ?? undefined}
              onChange={(calendarId) => set({ calendarId })}
              loading={calendars.isPending}
              options={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              placeholder={t('sla.field.calendarRequired')}
              style={{ maxWidth: 360 }}
              data-testid="sla-calendar"
            />
          </Form.Item>
          <Form.Item label={t('sla.field.description')} style={{ marginBottom: 0 }}>
            <Input.TextArea value={value.description} maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} onChange={(e) => set({ description: e.target.value })} data-testid="sla-description" />
          </Form.Item>
        </Card>

        <Card size="small" title={t('sla.section.match')}>
          <Typography.Paragraph type="secondary">{t('sla.section.matchHint')}</Typography.Paragraph>
          <Flex wrap gap={16}>
            <Form.Item label={t('sla.match.types')} style={{ minWidth: 200, flex: 1 }}>
              <Select<'incident'[]>
                mode="multiple"
                value={value.types}
                onChange={(types) => set({ types })}
                options={[{ value: 'incident', label: t('sla.ticketType.incident') }]}
                placeholder={t('sla.match.any')}
                data-testid="sla-match-types"
              />
            </Form.Item>
            <Form.Item label={t('sla.match.priorities')} style={{ minWidth: 200, flex: 1 }}>
              <Select<number[]>
                mode="multiple"
                value={value.priorities}
                onChange={(priorities) => set({ priorities })}
                options={PRIORITIES.map((p) => ({ value: p, label: priorityLabel(t, p) }))}
                placeholder={t('sla.match.any')}
                data-testid="sla-match-priorities"
              />
            </Form.Item>
            <Form.Item label={t('sla.match.orgs')} style={{ minWidth: 260, flex: 2 }}>
              <Select<number[]>
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                value={value.orgIds}
                onChange={(orgIds) => set({ orgIds })}
                loading={orgs.isPending}
                options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                placeholder={t('sla.match.any')}
                data-testid="sla-match-orgs"
              />
            </Form.Item>
            <Form.Item label={t('sla.match.groups')} style={{ minWidth: 260, flex: 2 }}>
              <Select<number[]>
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                value={value.groupIds}
                onChange={(groupIds) => set({ groupIds })}
                loading={groups.isPending}
                options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
                placeholder={t('sla.match.any')}
                data-testid="sla-match-groups"
              />
            </Form.Item>
          </Flex>
          <Flex wrap gap={16}>
            <Form.Item label={t('sla.match.services')} style={{ minWidth: 260, flex: 1, marginBottom: 0 }}>
              <Select<string[]>
                mode="tags"
                value={value.services}
                onChange={(services) => set({ services: services.map((s) => s.trim()).filter(Boolean) })}
                tokenSeparators={[',', '，']}
                open={false}
                suffixIcon={null}
                placeholder={t('sla.match.tagsPlaceholder')}
                data-testid="sla-match-services"
              />
            </Form.Item>
            <Form.Item label={t('sla.match.categories')} style={{ minWidth: 260, flex: 1, marginBottom: 0 }}>
              <Select<string[]>
                mode="tags"
                value={value.categories}
                onChange={(categories) => set({ categories: categories.map((s) => s.trim()).filter(Boolean) })}
                tokenSeparators={[',', '，']}
                open={false}
                suffixIcon={null}
                placeholder={t('sla.match.tagsPlaceholder')}
                data-testid="sla-match-categories"
              />
            </Form.Item>
          </Flex>
        </Card>

        <Card size="small" title={t('sla.section.conditions')}>
          <Typography.Paragraph type="secondary">{t('sla.section.conditionsHint')}</Typography.Paragraph>
          <Flex wrap gap={16}>
            <Form.Item label={t('sla.condition.start')} style={{ minWidth: 260, flex: 1, marginBottom: 0 }}>
              <Select<SlaStart>
                value={value.start}
                onChange={(start) => set({ start })}
                options={STARTS.map((start) => ({ value: start, label: t(`sla.condition.startOption.${start}`) }))}
                data-testid="sla-start"
              />
            </Form.Item>
            <Form.Item label={t('sla.condition.responseStop')} style={{ minWidth: 260, flex: 1, marginBottom: 0 }}>
              <Select<SlaResponseStop>
                value={value.responseStop}
                onChange={(responseStop) => set({ responseStop })}
                options={RESPONSE_STOPS.map((stop) => ({ value: stop, label: t(`sla.condition.responseStopOption.${stop}`) }))}
                data-testid="sla-response-stop"
              />
            </Form.Item>
            <Form.Item label={t('sla.condition.resolutionStop')} style={{ minWidth: 260, flex: 1, marginBottom: 0 }}>
              <Select<SlaResolutionStop>
                value={value.resolutionStop}
                onChange={(resolutionStop) => set({ resolutionStop })}
                options={RESOLUTION_STOPS.map((stop) => ({ value: stop, label: t(`sla.condition.resolutionStopOption.${stop}`) }))}
                data-testid="sla-resolution-stop"
              />
            </Form.Item>
          </Flex>
        </Card>

        <Card size="small" title={t('sla.section.targets')}>
          <Typography.Paragraph type="secondary">{t('sla.section.targetsHint')}</Typography.Paragraph>
          <Table<{ priority: PriorityLevel }>
            rowKey="priority"
            size="small"
            pagination={false}
            columns={targetColumns}
            dataSource={PRIORITIES.map((priority) => ({ priority }))}
            scroll={{ x: 'max-content' }}
            data-testid="sla-targets"
          />
          {(targetsMissing || targetsNotPositive) && (
            <Typography.Text type="danger" data-testid="sla-targets-problem">
              {targetsNotPositive ? t('sla.target.positive') : t('sla.target.atLeastOne')}
            </Typography.Text>
          )}
        </Card>

        <Card size="small" title={t('sla.section.pause')}>
          <Form.Item label={t('sla.pause.on')}>
            <Checkbox.Group<string>
              value={value.pauseOn}
              onChange={(pauseOn) => set({ pauseOn })}
              options={PENDING_REASONS.map((reason) => ({ value: reason, label: <span data-testid={`sla-pause-${reason}`}>{pendingReasonLabel(t, reason)}</span> }))}
            />
          </Form.Item>
          <Form.Item label={t('sla.pause.noPause')}>
            <Checkbox.Group<number>
              value={value.noPausePriorities}
              onChange={(noPausePriorities) => set({ noPausePriorities })}
              options={PRIORITIES.map((p) => ({ value: p, label: <span data-testid={`sla-no-pause-${p}`}>{priorityLabel(t, p)}</span> }))}
            />
          </Form.Item>
          <Form.Item label={t('sla.pause.thresholds')} extra={t('sla.pause.thresholdsHint')} style={{ marginBottom: 0 }}>
            <Select<(string | number)[]>
              mode="tags"
              value={value.thresholds}
              onChange={(values) => set({ thresholds: parseThresholds(values) })}
              options={THRESHOLD_SUGGESTIONS.map((n) => ({ value: n, label: `${n}%` }))}
              labelRender={(item) => `${String(item.value)}%`}
              tokenSeparators={[',', '，', ' ']}
              style={{ maxWidth: 360 }}
              data-testid="sla-thresholds"
            />
          </Form.Item>
        </Card>

        <Card size="small" title={t('sla.section.escalations')}>
          <Typography.Paragraph type="secondary">{t('sla.section.escalationsHint')}</Typography.Paragraph>
          <EscalationsEditor value={value.escalations} onChange={(escalations) => set({ escalations })} />
        </Card>

        <Card size="small" title={t('sla.section.behaviour')}>
          <Flex vertical gap={8}>
            <Flex gap={8} align="center">
              <Switch checked={value.reopenResumes} onChange={(reopenResumes) => set({ reopenResumes })} aria-label={t('sla.behaviour.reopenResumes')} data-testid="sla-reopen-resumes" />
              <Typography.Text>{t('sla.behaviour.reopenResumes')}</Typography.Text>
            </Flex>
            <Flex gap={8} align="center">
              <Switch
                checked={value.retroactivePriority}
                onChange={(retroactivePriority) => set({ retroactivePriority })}
                aria-label={t('sla.behaviour.retroactivePriority')}
                data-testid="sla-retroactive-priority"
              />
              <Typography.Text>{t('sla.behaviour.retroactivePriority')}</Typography.Text>
            </Flex>
          </Flex>
        </Card>
      </Flex>
    </Form>
  );
}
