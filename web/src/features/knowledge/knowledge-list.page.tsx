import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Input, List, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { KnowledgeKind, KnowledgeState } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { ArticleFormModal } from './article-form-modal.component';
import { useKnowledgeList } from './use-knowledge.query';

const PAGE_SIZE = 20;

export function KindTag({ kind }: { kind: KnowledgeKind }) {
  const { t } = useTranslation();
  return <Tag color={kind === 'known_error' ? 'gold' : 'blue'}>{t(`knowledge.kind.${kind}`)}</Tag>;
}

/** Search (Chinese full text, ranked) and browse the knowledge base. */
export function KnowledgeListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const manage = can('knowledge.manage');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<KnowledgeKind | undefined>();
  const [state, setState] = useState<KnowledgeState | undefined>();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const q = useDebouncedValue(search.trim(), 300);
  const list = useKnowledgeList({ q: q || undefined, kind, state, page, pageSize: PAGE_SIZE });
  return (
    <>
      <PageHeader
        title={t('knowledge.title')}
        testId="page-title"
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="kb-new">
              {t('knowledge.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('knowledge.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            style={{ maxWidth: 420 }}
            data-testid="kb-search"
          />
          <Select<KnowledgeKind>
            allowClear
            placeholder={t('knowledge.field.kind')}
            value={kind}
            onChange={(v) => {
              setKind(v);
              setPage(1);
            }}
            options={(['article', 'known_error'] as const).map((k) => ({ value: k, label: t(`knowledge.kind.${k}`) }))}
            style={{ minWidth: 120 }}
          />
          {manage && (
            <Select<KnowledgeState>
              allowClear
              placeholder={t('knowledge.field.state')}
              value={state}
              onChange={(v) => {
                setState(v);
                setPage(1);
              }}
              options={(['draft', 'published', 'retired'] as const).map((s) => ({ value: s, label: t(`knowledge.state.${s}`) }))}
              style={{ minWidth: 120 }}
            />
          )}
        </Flex>
        <List
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('knowledge.empty') }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage, hideOnSinglePage: true }}
          renderItem={(a) => (
            <List.Item key={a.id} data-testid={`kb-row-${a.id}`}>
              <Flex vertical gap={4} style={{ width: '100%' }}>
                <Flex wrap gap={8} align="center">
                  <Link to={`/knowledge/${a.id}`} data-testid={`kb-link-${a.id}`}>
                    {a.number} {a.title}
                  </Link>
                  <KindTag kind={a.kind} />
                  {a.state !== 'published' && <Tag>{t(`knowledge.state.${a.state}`)}</Tag>}
                </Flex>
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                  {a.excerpt}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('knowledge.field.updatedAt')}: {formatDateTime(a.updatedAt)}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      </Card>
      {creating && (
        <ArticleFormModal
          onClose={() => setCreating(false)}
          onSaved={(a) => {
            setCreating(false);
            notifySuccess(t('knowledge.created', { number: a.number }));
            navigate(`/knowledge/${a.id}`);
          }}
        />
      )}
    </>
  );
}
