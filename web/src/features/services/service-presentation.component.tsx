import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatPct, splitMinutes } from './service-format';
import type { Service } from './service-types';

/** "2 小时 5 分钟" / "45 分钟" from minutes (sign dropped). */
export function useDurationText() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const { hours, minutes: rest } = splitMinutes(minutes);
    return hours > 0 ? t('service.hoursMinutes', { hours, minutes: rest }) : t('service.minutesOnly', { minutes: rest });
  };
}

/** "99.7717%" and, when given as a budget, "≤ 20 小时/年". */
export function TargetText({ service }: { service: Pick<Service, 'targetPct' | 'budgetHoursPerYear'> }) {
  const { t } = useTranslation();
  const pct = t('service.targetValue', { pct: formatPct(service.targetPct) });
  if (service.budgetHoursPerYear === null) return <span>{pct}</span>;
  return <span>{t('service.targetWithBudget', { pct, budget: t('service.budgetValue', { hours: formatPct(service.budgetHoursPerYear, 2) }) })}</span>;
}

export function ServiceStatusTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag color="green">{t('service.active')}</Tag> : <Tag>{t('service.retired')}</Tag>;
}
