import { Link } from 'react-router';
import { Alert, Card, Flex, List, Tag, Typography } from 'antd';
import { BulbOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { KnowledgeSuggestion } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useKnowledgeSuggest } from './use-knowledge.query';

function ReasonTags({ item }: { item: KnowledgeSuggestion }) {
  const { t } = useTranslation();
  return (
    <Flex wrap gap={4}>
      {item.reasons.includes('text') && (
        <Tag color="blue" data-testid={`ke-reason-text-${item.articleId}`}>
          {t('knowledge.suggest.reasonText')}
        </Tag>
      )}
      {item.reasons.includes('ci') && (
        <Tag color="purple" data-testid={`ke-reason-ci-${item.articleId}`}>
          {t('knowledge.suggest.reasonCi')}
        </Tag>
      )}
    </Flex>
  );
}

function SuggestionList({ items }: { items: KnowledgeSuggestion[] }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      dataSource={items}
      renderItem={(item) => (
        <List.Item key={item.articleId} data-testid={`ke-suggestion-${item.articleId}`}>
          <Flex vertical gap={4} style={{ width: '100%' }}>
            <Flex wrap gap={8} align="center" justify="space-between">
              <Link to={`/knowledge/${item.articleId}`} target="_blank" data-testid={`ke-suggestion-link-${item.articleId}`}>
                {item.number} {item.title}
              </Link>
              <ReasonTags item={item} />
            </Flex>
            {item.workaround && (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                {t('knowledge.suggest.workaround')}: {item.workaround}
              </Typography.Paragraph>
            )}
            <Flex wrap gap={12}>
              {item.matchedTerms.length > 0 && <Typography.Text type="secondary">{t('knowledge.suggest.terms', { terms: item.matchedTerms.slice(0, 6).join('、') })}</Typography.Text>}
              {item.matchedCis.length > 0 && <Typography.Text type="secondary">{t('knowledge.suggest.cis', { names: item.matchedCis.map((c) => c.name).join('、') })}</Typography.Text>}
              {item.problemId && item.problemNumber && <Link to={`/problems/${item.problemId}`}>{t('knowledge.suggest.problem', { number: item.problemNumber })}</Link>}
            </Flex>
          </Flex>
        </List.Item>
      )}
    />
  );
}

/**
 * Known errors matching what the user is typing on a new incident (debounced); nothing is shown
 * until there is a match.
 */
export function KnownErrorSuggestions({ text, ciIds, orgId }: { text: string; ciIds?: number[]; orgId?: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const debounced = useDebouncedValue(text.trim(), 400);
  const enabled = can('knowledge.read') && (debounced.length >= 2 || (ciIds?.length ?? 0) > 0);
  const suggest = useKnowledgeSuggest({ text: debounced || undefined, ciIds, orgId }, enabled);
  const items = enabled ? (suggest.data?.items ?? []) : [];
  if (!items.length) return null;
  return (
    <Alert
      type="info"
      showIcon
      icon={<BulbOutlined />}
      style={{ marginBottom: 16 }}
      data-testid="ke-suggestions"
      title={t('knowledge.suggest.title')}
      description={<SuggestionList items={items} />}
    />
  );
}

/** The incident page's card: known errors for this incident's text and CIs. */
export function IncidentKnownErrorsCard({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const suggest = useKnowledgeSuggest({ ticketId }, true);
  const items = suggest.data?.items ?? [];
  return (
    <Card size="small" title={t('knowledge.suggest.cardTitle')} loading={suggest.isPending} data-testid="incident-known-errors">
      {items.length ? <SuggestionList items={items} /> : <Typography.Text type="secondary">{t('knowledge.suggest.none')}</Typography.Text>}
    </Card>
  );
}
