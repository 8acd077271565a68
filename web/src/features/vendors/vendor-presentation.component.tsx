import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Grade, RepairStatus, VendorContract } from './vendor-types';

const STATUS_COLORS: Record<RepairStatus, string> = {
  open: 'blue',
  sent_to_vendor: 'geekblue',
  cost_pending: 'gold',
  approved: 'cyan',
  rejected: 'volcano',
  in_repair: 'purple',
  returned: 'lime',
  closed: 'default',
  cancelled: 'default',
};

export function RepairStatusTag({ status }: { status: RepairStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="repair-status">
      {t(`vendor.repair.statusValues.${status}`)}
    </Tag>
  );
}

export function WarrantyTag({ inWarranty }: { inWarranty: boolean }) {
  const { t } = useTranslation();
  return <Tag color={inWarranty ? 'green' : 'orange'}>{inWarranty ? t('vendor.repair.inWarranty') : t('vendor.repair.outOfWarranty')}</Tag>;
}

const GRADE_COLORS: Record<Grade, string> = { A: 'green', B: 'blue', C: 'gold', D: 'red' };

export function GradeTag({ grade }: { grade: Grade | null }) {
  if (!grade) return <span>-</span>;
  return <Tag color={GRADE_COLORS[grade]}>{grade}</Tag>;
}

/** Turnaround hours as "2 天 3 小时" / "5 小时". */
export function useTurnaroundText() {
  const { t } = useTranslation();
  return (hours: number | null): string => {
    if (hours === null) return '-';
    const whole = Math.round(hours);
    if (whole < 24) return t('vendor.repair.hours', { h: hours });
    return t('vendor.repair.daysHours', { d: Math.floor(whole / 24), h: whole % 24 });
  };
}

export function ContractExpiryTag({ contract }: { contract: VendorContract }) {
  const { t } = useTranslation();
  if (contract.daysLeft < 0) return <Tag>{t('vendor.contract.expired')}</Tag>;
  if (contract.expiringSoon)
    return (
      <Tag color="orange" data-testid={`contract-expiring-${contract.id}`}>
        {t('vendor.contract.expiringSoon', { days: contract.daysLeft })}
      </Tag>
    );
  return null;
}
