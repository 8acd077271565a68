import { Navigate, useParams } from 'react-router';
import { Button, Result, Spin } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAssetByTag } from './use-assets.query';

/** Where a scanned label lands: resolves the tag and shows the asset page. */
export function AssetByTagPage() {
  const { t } = useTranslation();
  const tag = useParams().tag ?? '';
  const asset = useAssetByTag(tag);
  if (asset.data) return <Navigate to={`/assets/${asset.data.id}`} replace />;
  if (asset.isError || tag === '') {
    return (
      <Result
        status="404"
        title={t('asset.byTag.notFound', { tag })}
        data-testid="asset-by-tag-not-found"
        extra={
          <Link to="/assets">
            <Button>{t('asset.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  return <Spin tip={t('asset.byTag.resolving', { tag })} style={{ display: 'block', marginTop: 80 }} data-testid="asset-by-tag-resolving" />;
}
