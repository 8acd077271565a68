import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { Card, Col, Empty, Flex, Row, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CatalogueItem } from '@tianshu/contracts';
import { PageHeader } from '../../shared/page-header.component';
import { localized } from '../workflows/workflow-labels';
import { RequestIcon } from './request-icon.component';
import { useCatalogue } from './use-requests.query';

/** 服务目录: the request types the user may ask for, grouped by category. */
export function CataloguePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const catalogue = useCatalogue();
  const groups = useMemo(() => {
    const byCategory = new Map<string, { label: string; items: CatalogueItem[] }>();
    for (const item of catalogue.data?.items ?? []) {
      const label = localized(item.category, i18n.language);
      const g = byCategory.get(label) ?? { label, items: [] };
      g.items.push(item);
      byCategory.set(label, g);
    }
    return [...byCategory.values()];
  }, [catalogue.data, i18n.language]);

  return (
    <>
      <PageHeader title={t('request.catalogue.title')} testId="page-title" />
      {catalogue.isLoading && <Skeleton active />}
      {!catalogue.isLoading && groups.length === 0 && <Empty description={t('request.catalogue.empty')} />}
      {groups.map((g) => (
        <div key={g.label} style={{ marginBottom: 24 }} data-testid="catalogue-category">
          <Typography.Title level={5}>{g.label}</Typography.Title>
          <Row gutter={[16, 16]}>
            {g.items.map((item) => (
              <Col key={item.key} xs={24} sm={12} lg={8} xl={6}>
                <Card hoverable onClick={() => void navigate(`/requests/new/${item.key}`)} data-testid={`catalogue-item-${item.key}`} style={{ height: '100%' }}>
                  <Flex gap={12} align="flex-start">
                    <span style={{ fontSize: 28, color: '#1677ff' }}>
                      <RequestIcon name={item.icon} />
                    </span>
                    <div>
                      <Typography.Text strong>{localized(item.name, i18n.language)}</Typography.Text>
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0, marginTop: 4 }}>
                        {localized(item.description, i18n.language)}
                      </Typography.Paragraph>
                    </div>
                  </Flex>
                </Card>
              </Col>
            ))}
          </Row>
        </div>
      ))}
    </>
  );
}
