import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChangeConflict, ChangeType, RiskLevel } from '@tianshu/contracts';
import { formatDateTime } from '../../shared/format';

export const RISK_COLORS: Record<RiskLevel, string> = { low: 'green', medium: 'gold', high: 'orange', very_high: 'red' };
export const TYPE_COLORS: Record<ChangeType, string> = { standard: 'blue', normal: 'geekblue', emergency: 'volcano' };
const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  assessment: 'processing',
  cab_approval: 'purple',
  ecab_approval: 'purple',
  approved: 'cyan',
  scheduled: 'blue',
  implementing: 'orange',
  verifying: 'gold',
  completed_successful: 'green',
  completed_with_issues: 'lime',
  rolled_back: 'magenta',
  failed: 'red',
  review: 'geekblue',
  closed: 'default',
  cancelled: 'default',
};

/** A state key of the change workflows, labelled (custom states show their key). */
export function useChangeStateLabel() {
  const { t } = useTranslation();
  const labels = t('change.states', { returnObjects: true }) as Record<string, string>;
  return (state: string) => labels[state] ?? state;
}

export function ChangeStateTag({ state, testId }: { state: string; testId?: string }) {
  const label = useChangeStateLabel();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid={testId} data-state={state}>
      {label(state)}
    </Tag>
  );
}

export function RiskTag({ level, testId }: { level: RiskLevel; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={RISK_COLORS[level]} data-testid={testId} data-risk={level}>
      {t(`change.risk.${level}`)}
    </Tag>
  );
}

export function ChangeTypeTag({ type }: { type: ChangeType }) {
  const { t } = useTranslation();
  return <Tag color={TYPE_COLORS[type]}>{t(`change.types.${type}`)}</Tag>;
}

/** One line describing a conflict. */
export function useConflictText() {
  const { t } = useTranslation();
  return (c: ChangeConflict): string => {
    switch (c.kind) {
      case 'ci_overlap':
        return t('change.conflict.ci_overlap', { number: c.number, names: c.cis.map((x) => x.name).join('、'), start: formatDateTime(c.plannedStart), end: formatDateTime(c.plannedEnd) });
      case 'service_overlap':
        return t('change.conflict.service_overlap', { number: c.number, names: c.services.map((x) => x.name).join('、'), start: formatDateTime(c.plannedStart), end: formatDateTime(c.plannedEnd) });
      case 'blackout':
        return t('change.conflict.blackout', { name: c.name, start: formatDateTime(c.startsAt), end: formatDateTime(c.endsAt) });
      case 'outside_maintenance':
        return t('change.conflict.outside_maintenance', { name: c.serviceName });
    }
  };
}

export function ConflictBadge({ conflicts, testId }: { conflicts: ChangeConflict[]; testId?: string }) {
  const { t } = useTranslation();
  const text = useConflictText();
  if (!conflicts.length) return null;
  return (
    <Tooltip title={conflicts.map((c, i) => <div key={i}>{text(c)}</div>)}>
      <Tag color="red" data-testid={testId}>
        {t('change.conflict.count', { count: conflicts.length })}
      </Tag>
    </Tooltip>
  );
}
