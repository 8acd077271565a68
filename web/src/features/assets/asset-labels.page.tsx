import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Flex, Result, Spin, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { assetLabelUrl, chunk, LABELS_PER_SHEET, parseLabelIds, qrPath } from './asset-labels';
import type { Asset } from './asset-types';
import { useAssetsById } from './use-assets.query';

/*
 * A4 label sheet: 3 x 8 labels of 70 x 37 mm (the common 24-up sticker sheet). Outside the app shell,
 * so printing gives only the sheet; the toolbar hides under @media print.
 */
const SHEET_CSS = `
@page { size: A4 portrait; margin: 0; }
.ts-labels-toolbar { padding: 12px 16px; border-bottom: 1px solid #eee; }
.ts-sheet { width: 210mm; height: 297mm; padding: 4.5mm 0; box-sizing: border-box; display: grid;
  grid-template-columns: repeat(3, 70mm); grid-template-rows: repeat(8, 36mm); row-gap: 0; margin: 8px auto;
  background: #fff; box-shadow: 0 0 4px rgba(0,0,0,.2); page-break-after: always; break-after: page; }
.ts-sheet:last-child { page-break-after: auto; break-after: auto; }
.ts-label { display: flex; align-items: center; gap: 2mm; padding: 2mm 3mm; box-sizing: border-box; overflow: hidden;
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #000; }
.ts-label-qr { flex: 0 0 28mm; width: 28mm; height: 28mm; }
.ts-label-text { min-width: 0; line-height: 1.25; }
.ts-label-tag { font-weight: 700; font-size: 9pt; font-family: monospace; word-break: break-all; }
.ts-label-name { font-size: 9pt; overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
.ts-label-org { font-size: 7.5pt; color: #333; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
@media print {
  body { background: #fff !important; }
  .ts-labels-toolbar { display: none !important; }
  .ts-sheet { margin: 0; box-shadow: none; }
}
`;

function AssetLabel({ asset }: { asset: Asset }) {
  const url = assetLabelUrl(window.location.origin, asset.assetTag);
  const qr = useMemo(() => qrPath(url), [url]);
  return (
    <div className="ts-label" data-testid={`asset-label-${asset.id}`} data-url={url}>
      <svg className="ts-label-qr" viewBox={`-1 -1 ${qr.size + 2} ${qr.size + 2}`} shapeRendering="crispEdges" role="img" aria-label={asset.assetTag} data-testid={`asset-label-qr-${asset.id}`}>
        <rect x={-1} y={-1} width={qr.size + 2} height={qr.size + 2} fill="#fff" />
        <path d={qr.d} fill="#000" />
      </svg>
      <div className="ts-label-text">
        <div className="ts-label-tag">{asset.assetTag}</div>
        <div className="ts-label-name">{asset.name}</div>
        <div className="ts-label-org">{asset.orgName}</div>
      </div>
    </div>
  );
}

export function AssetLabelsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const ids = parseLabelIds(params.get('ids'));
  const queries = useAssetsById(ids);
  const loading = queries.some((q) => q.isPending);
  const assets = queries.flatMap((q) => (q.data ? [q.data] : []));
  const missing = queries.filter((q) => q.isError).length;

  if (ids.length === 0) {
    return <Result status="info" title={t('asset.labels.none')} extra={<Button onClick={() => navigate('/assets')}>{t('asset.labels.back')}</Button>} />;
  }
  return (
    <div data-testid="asset-labels-page">
      <style>{SHEET_CSS}</style>
      <div className="ts-labels-toolbar">
        <Flex wrap gap={8} align="center" justify="space-between">
          <Flex gap={8} align="center">
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('asset.labels.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('asset.labels.hint')}</Typography.Text>
          </Flex>
          <Flex gap={8}>
            <Button onClick={() => navigate(-1)} data-testid="asset-labels-back">
              {t('asset.labels.back')}
            </Button>
            <Button type="primary" icon={<PrinterOutlined />} disabled={loading || assets.length === 0} onClick={() => window.print()} data-testid="asset-labels-print">
              {t('asset.labels.print')}
            </Button>
          </Flex>
        </Flex>
        {missing > 0 && <Alert type="warning" showIcon title={t('asset.labels.missing', { count: missing })} style={{ marginTop: 8 }} data-testid="asset-labels-missing" />}
      </div>
      {loading ? (
        <Spin style={{ display: 'block', marginTop: 48 }} />
      ) : (
        chunk(assets, LABELS_PER_SHEET).map((sheet, i) => (
          <div className="ts-sheet" key={i} data-testid="asset-label-sheet">
            {sheet.map((a) => (
              <AssetLabel key={a.id} asset={a} />
            ))}
          </div>
        ))
      )}
    </div>
  );
}
