import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Badge, Button, Empty, Flex, Popover, Spin, Typography, theme } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { NotificationItem } from '@tianshu/contracts';
import { formatDateTime } from '../../shared/format';
import { eventLabel } from './notification-types';
import { useMarkAllRead, useMarkRead } from './use-notifications.mutation';
import { useRecentNotifications } from './use-notifications.query';
import { useUnreadStream } from './use-unread-stream';

/** One notification line: title, first body line, event and time; unread ones are bold with a dot. */
export function NotificationLine({ item, onOpen }: { item: NotificationItem; onOpen: (item: NotificationItem) => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const unread = item.readAt === null;
  return (
    <div
      role="button"
      tabIndex={0}
      data-testid={`notification-item-${item.id}`}
      data-unread={unread ? 'true' : 'false'}
      onClick={() => onOpen(item)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(item);
        }
      }}
      style={{ padding: '8px 12px', cursor: 'pointer', borderRadius: token.borderRadius, background: unread ? token.colorFillQuaternary : undefined, marginBottom: 2 }}
    >
      <Flex gap={8} align="baseline">
        <Badge status={unread ? 'processing' : 'default'} />
        <div style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text strong={unread} ellipsis style={{ display: 'block' }}>
            {item.title}
          </Typography.Text>
          {item.body && (
            <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
              {item.body.split('\n')[0]}
            </Typography.Text>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {eventLabel(t, item.event)} · {formatDateTime(item.createdAt)}
          </Typography.Text>
        </div>
      </Flex>
    </div>
  );
}

/** Opening a notification marks it read and follows its link. */
export function useOpenNotification(after?: () => void) {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  return (item: NotificationItem) => {
    if (item.readAt === null) markRead.mutate(item.id);
    after?.();
    if (item.link) void navigate(item.link);
  };
}

export function NotificationBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const { count } = useUnreadStream();
  const recent = useRecentNotifications(open);
  const markAll = useMarkAllRead();
  const openItem = useOpenNotification(() => setOpen(false));
  const items = recent.data?.items ?? [];

  const content = (
    <div style={{ width: 340, maxWidth: 'calc(100vw - 32px)' }} data-testid="notification-dropdown">
      <Flex justify="space-between" align="center" style={{ padding: '4px 12px 8px' }}>
        <Typography.Text strong>{t('notification.bell.recent')}</Typography.Text>
        <Button size="small" type="link" disabled={count === 0} loading={markAll.isPending} onClick={() => markAll.mutate()} data-testid="notification-read-all">
          {t('notification.bell.readAll')}
        </Button>
      </Flex>
      <div style={{ maxHeight: 400, overflowY: 'auto' }}>
        {recent.isPending ? (
          <Spin style={{ display: 'block', margin: 24 }} />
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notification.bell.empty')} />
        ) : (
          items.map((item) => <NotificationLine key={item.id} item={item} onOpen={openItem} />)
        )}
      </div>
      <div style={{ textAlign: 'center', paddingTop: 8 }}>
        <Link to="/notifications" onClick={() => setOpen(false)} data-testid="notification-view-all">
          {t('notification.bell.viewAll')}
        </Link>
      </div>
    </div>
  );

  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} arrow={false}>
      <Button
        type="text"
        aria-label={count > 0 ? `${t('notification.bell.label')} · ${t('notification.bell.unread', { count })}` : t('notification.bell.label')}
        data-testid="notification-bell"
        icon={
          <Badge count={count} size="small" overflowCount={99} data-testid="notification-badge" data-count={count}>
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
