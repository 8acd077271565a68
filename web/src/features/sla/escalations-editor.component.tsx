import { useMemo, useState } from 'react';
import { Button, Card, Checkbox, Empty, Flex, InputNumber, Select, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useGroups, useUserLookup } from '../../shared/use-directory.query';
import { newAction, newStep } from './sla-draft';
import { metricLabel, SLA_METRICS } from './sla-format';
import type { EscalationAction, EscalationRecipient, EscalationStep, SlaMetric } from './sla-types';

const ACTION_TYPES: readonly EscalationAction['type'][] = ['notify', 'reassign', 'raise_priority'];
const RECIPIENTS: readonly EscalationRecipient[] = ['assignee', 'group_lead', 'managers'];

/** Users picked by search; ids the search has not returned show as "用户 #id". */
function UsersSelect({ value, onChange, testId }: { value: number[]; onChange: (ids: number[]) => void; testId: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const lookup = useUserLookup(q);
  const [known, setKnown] = useState<ReadonlyMap<number, string>>(new Map());
  const options = useMemo(() => {
    const labels = new Map(known);
    for (const user of lookup.data ?? []) labels.set(user.id, `${user.displayName} (${user.username})`);
    const ids = new Set([...value, ...(lookup.data ?? []).map((u) => u.id)]);
    return [...ids].map((id) => ({ value: id, label: labels.get(id) ?? t('common.unknownUser', { id }) }));
  }, [known, lookup.data, value, t]);
  return (
    <Select<number[]>
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={(ids) => {
        setKnown(new Map(options.filter((o) => ids.includes(o.value)).map((o) => [o.value, o.label])));
        onChange(ids);
      }}
      options={options}
      loading={lookup.isFetching}
      placeholder={t('sla.escalation.users')}
      style={{ minWidth: 220, flex: 1 }}
      data-testid={testId}
    />
  );
}

function ActionEditor({ action, onChange, testId }: { action: EscalationAction; onChange: (next: EscalationAction) => void; testId: string }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const groupOptions = (groups.data ?? []).map((g) => ({ value: g.id, label: g.name }));
  return (
    <Flex wrap gap={8} align="center" style={{ flex: 1 }}>
      <Select<EscalationAction['type']>
        value={action.type}
        onChange={(type) => onChange(newAction(type))}
        options={ACTION_TYPES.map((type) => ({ value: type, label: t(`sla.escalation.type.${type}`) }))}
        style={{ width: 180 }}
        aria-label={t('sla.escalation.actions')}
        data-testid={`${testId}-type`}
      />
      {action.type === 'notify' && (
        <>
          <Checkbox.Group<EscalationRecipient>
            value={action.to}
            onChange={(to) => onChange({ ...action, to })}
            options={RECIPIENTS.map((r) => ({ value: r, label: <span data-testid={`${testId}-to-${r}`}>{t(`sla.escalation.to.${r}`)}</span> }))}
          />
          <UsersSelect value={action.userIds} onChange={(userIds) => onChange({ ...action, userIds })} testId={`${testId}-users`} />
          <Select<number[]>
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            value={action.groupIds}
            onChange={(groupIds) => onChange({ ...action, groupIds })}
            options={groupOptions}
            placeholder={t('sla.escalation.groups')}
            style={{ minWidth: 200, flex: 1 }}
            data-testid={`${testId}-groups`}
          />
        </>
      )}
      {action.type === 'reassign' && (
        <Select<number>
          showSearch={{ optionFilterProp: 'label' }}
          value={action.groupId > 0 ? action.groupId : undefined}
          onChange={(groupId) => onChange({ ...action, groupId })}
          options={groupOptions}
          placeholder={t('sla.escalation.group')}
          status={action.groupId > 0 ? undefined : 'error'}
          style={{ minWidth: 200 }}
          data-testid={`${testId}-group`}
        />
      )}
    </Flex>
  );
}

/** Escalation steps: at a percentage of the target, for some metrics, do these actions (each once). */
export function EscalationsEditor({ value, onChange }: { value: EscalationStep[]; onChange: (steps: EscalationStep[]) => void }) {
  const { t } = useTranslation();
  const setStep = (index: number, step: EscalationStep) => onChange(value.map((s, i) => (i === index ? step : s)));
  return (
    <Flex vertical gap={12} data-testid="sla-escalations">
      {value.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.escalation.empty')} />}
      {value.map((step, index) => (
        <Card
          key={index}
          size="small"
          type="inner"
          title={t('sla.escalation.step', { index: index + 1 })}
          data-testid={`sla-escalation-${index}`}
          extra={
            <Tooltip title={t('sla.escalation.remove')}>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('sla.escalation.remove')}
                onClick={() => onChange(value.filter((_s, i) => i !== index))}
                data-testid={`sla-escalation-${index}-remove`}
              />
            </Tooltip>
          }
        >
          <Flex vertical gap={8}>
            <Flex wrap gap={16} align="center">
              <Flex gap={8} align="center">
                <Typography.Text>{t('sla.escalation.atPct')}</Typography.Text>
                <InputNumber<number>
                  min={1}
                  max={500}
                  precision={0}
                  value={step.atPct}
                  onChange={(atPct) => setStep(index, { ...step, atPct: atPct ?? 100 })}
                  style={{ width: 90 }}
                  data-testid={`sla-escalation-${index}-pct`}
                />
              </Flex>
              <Flex gap={8} align="center">
                <Typography.Text>{t('sla.escalation.metrics')}</Typography.Text>
                <Checkbox.Group<SlaMetric>
                  value={step.metrics}
                  onChange={(metrics) => setStep(index, { ...step, metrics: metrics.length ? metrics : step.metrics })}
                  options={SLA_METRICS.map((m) => ({ value: m, label: <span data-testid={`sla-escalation-${index}-metric-${m}`}>{metricLabel(t, m)}</span> }))}
                />
              </Flex>
            </Flex>
            {step.actions.map((action, actionIndex) => (
              <Flex key={actionIndex} gap={8} align="flex-start">
                <ActionEditor
                  action={action}
                  onChange={(next) => setStep(index, { ...step, actions: step.actions.map((a, i) => (i === actionIndex ? next : a)) })}
                  testId={`sla-escalation-${index}-action-${actionIndex}`}
                />
                <Tooltip title={t('sla.escalation.removeAction')}>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('sla.escalation.removeAction')}
                    disabled={step.actions.length <= 1}
                    onClick={() => setStep(index, { ...step, actions: step.actions.filter((_a, i) => i !== actionIndex) })}
                  />
                </Tooltip>
              </Flex>
            ))}
            {step.actions.length < 10 && (
              <div>
                <Button
                  size="small"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => setStep(index, { ...step, actions: [...step.actions, newAction('notify')] })}
                  data-testid={`sla-escalation-${index}-add-action`}
                >
                  {t('sla.escalation.addAction')}
                </Button>
              </div>
            )}
          </Flex>
        </Card>
      ))}
      {value.length < 10 && (
        <div>
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange([...value, newStep()])} data-testid="sla-escalation-add">
            {t('sla.escalation.add')}
          </Button>
        </div>
      )}
    </Flex>
  );
}
