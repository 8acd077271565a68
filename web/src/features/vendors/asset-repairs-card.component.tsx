import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { RepairFormModal } from './repair-form-modal.component';
import { RepairTable } from './repair-table.component';
import { useRepairs } from './use-vendors.query';

/** The repair orders of one asset, for the asset page; "new repair order" opens the form for this asset. */
export function AssetRepairsCard({ assetId }: { assetId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const visible = can('vendor.read');
  const repairs = useRepairs({ assetId, pageSize: 50 }, visible);
  if (!visible) return null;
  return (
    <Card
      title={t('vendor.repair.cardTitle')}
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="asset-repairs-card"
      extra={
        can('asset.manage') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="asset-repair-new">
            {t('vendor.repair.create')}
          </Button>
        )
      }
    >
      <RepairTable items={repairs.data?.items ?? []} loading={repairs.isFetching} showAsset={false} />
      {creating && (
        <RepairFormModal
          assetId={assetId}
          onClose={() => setCreating(false)}
          onSaved={(r) => {
            setCreating(false);
            notifySuccess(t('vendor.repair.created'));
            navigate(`/repairs/${r.id}`);
          }}
        />
      )}
    </Card>
  );
}
