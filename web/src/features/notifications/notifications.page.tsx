import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Empty, Flex, Segmented, Spin } from 'antd';
import { CheckOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { NotificationLine, useOpenNotification } from './notification-bell.component';
import { useMarkAllRead } from './use-notifications.mutation';
import { useNotificationList, useUnreadCount } from './use-notifications.query';

type Filter = 'all' | 'unread';

/** Every notification of the signed-in user, newest first, in pages of 20. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('all');
  const list = useNotificationList(filter === 'unread');
  const unread = useUnreadCount(false);
  const markAll = useMarkAllRead();
  const openItem = useOpenNotification();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('notification.inbox.title')}
        testId="page-title"
        extra={
          <>
            <Link to="/settings/notifications">
              <Button icon={<SettingOutlined />}>{t('notification.inbox.settings')}</Button>
            </Link>
            <Button
              icon={<CheckOutlined />}
              disabled={(unread.data?.count ?? 0) === 0}
              loading={markAll.isPending}
              onClick={() => markAll.mutateAsync().then((r) => notifySuccess(t('notification.inbox.readAllDone', { count: r.updated })))}
              data-testid="notifications-read-all"
            >
              {t('notification.inbox.readAll')}
            </Button>
          </>
        }
      />
      <Card>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: t('notification.inbox.filterAll') },
            { value: 'unread', label: `${t('notification.inbox.filterUnread')}${unread.data?.count ? ` (${unread.data.count})` : ''}` },
          ]}
          style={{ marginBottom: 16 }}
          data-testid="notifications-filter"
        />
        {list.isPending ? (
          <Spin style={{ display: 'block', margin: 32 }} />
        ) : items.length === 0 ? (
          <Empty description={filter === 'unread' ? t('notification.inbox.emptyUnread') : t('notification.inbox.empty')} />
        ) : (
          <div data-testid="notifications-list">
            {items.map((item) => (
              <NotificationLine key={item.id} item={item} onOpen={openItem} />
            ))}
          </div>
        )}
        {list.hasNextPage && (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="notifications-more">
              {t('notification.inbox.loadMore')}
            </Button>
          </Flex>
        )}
      </Card>
    </>
  );
}
