import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { MarkdownView } from '../../shared/markdown-view.component';
import { ArticleFormModal } from './article-form-modal.component';
import { KindTag } from './knowledge-list.page';
import { useKnowledgeArticle } from './use-knowledge.query';

export function KnowledgeArticlePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const query = useKnowledgeArticle(id);
  const [editing, setEditing] = useState(false);
  const a = query.data;
  if (query.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!a) {
    return (
      <Result
        status="404"
        title={t('knowledge.notFound')}
        data-testid="kb-not-found"
        extra={
          <Link to="/knowledge">
            <Button>{t('knowledge.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  // Known errors are edited on their problem (the source of truth).
  const mayEdit = can('knowledge.manage') && a.kind === 'article';
  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <Link to="/knowledge" aria-label={t('knowledge.backToList')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Text type="secondary" data-testid="kb-number">
            {a.number}
          </Typography.Text>
          <KindTag kind={a.kind} />
          <Tag data-testid="kb-state">{t(`knowledge.state.${a.state}`)}</Tag>
        </Space>
        <Flex justify="space-between" wrap gap={8}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {a.title}
          </Typography.Title>
          {mayEdit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="kb-edit">
              {t('knowledge.edit')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <MarkdownView source={a.body} testId="kb-body-view" />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('knowledge.field.org')}>{a.orgName ?? t('knowledge.allOrgs')}</Descriptions.Item>
              <Descriptions.Item label={t('knowledge.field.cis')}>{a.cis.length ? a.cis.map((c) => c.name).join('、') : '-'}</Descriptions.Item>
              <Descriptions.Item label={t('knowledge.field.publishedAt')}>{formatDateTime(a.publishedAt) || '-'}</Descriptions.Item>
              <Descriptions.Item label={t('knowledge.field.updatedAt')}>{formatDateTime(a.updatedAt)}</Descriptions.Item>
              {a.sourceProblemId && a.sourceProblemNumber && (
                <Descriptions.Item label={t('knowledge.field.source')}>
                  <Link to={`/problems/${a.sourceProblemId}`}>{a.sourceProblemNumber}</Link>
                </Descriptions.Item>
              )}
              {a.createdByName && <Descriptions.Item label={t('knowledge.field.author')}>{a.createdByName}</Descriptions.Item>}
            </Descriptions>
          </Card>
        </Col>
      </Row>
      {editing && (
        <ArticleFormModal
          article={a}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifySuccess(t('knowledge.saved'));
          }}
        />
      )}
    </>
  );
}
