import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { assetStatusColor, type AssetImportance, type AssetStatus } from './asset-types';

const IMPORTANCE_COLOR: Record<AssetImportance, string> = { core: 'red', important: 'orange', normal: 'default' };

export function AssetStatusTag({ status }: { status: AssetStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={assetStatusColor(status)} data-testid="asset-status">
      {t(`asset.statusValues.${status}`)}
    </Tag>
  );
}

export function AssetImportanceTag({ importance }: { importance: AssetImportance }) {
  const { t } = useTranslation();
  return <Tag color={IMPORTANCE_COLOR[importance]}>{t(`asset.importanceValues.${importance}`)}</Tag>;
}

/** "12999.00" -> "¥12,999.00" without going through a float (the API gives exact decimal strings). */
export function formatMoney(value: string | null, none: string): string {
  if (value === null) return none;
  const [int = '0', frac = '00'] = value.split('.');
  return `¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0').slice(0, 2)}`;
}
