import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/language-switch.component';

/** Centered card for the pages shown outside the app shell (login, forced password change). */
export function AuthCard({ title, children, extra }: { title: string; children: ReactNode; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', padding: '8vh 12px 24px', background: '#f5f7fb' }}>
      <Flex justify="flex-end" style={{ width: '100%', maxWidth: 420 }}>
        <LanguageSwitch />
      </Flex>
      <Typography.Title level={2} style={{ marginBottom: 0 }}>
        {t('app.name')}
      </Typography.Title>
      <Typography.Text type="secondary" style={{ marginBottom: 24 }}>
        {t('app.subtitle')}
      </Typography.Text>
      <Card title={title} extra={extra} style={{ width: '100%', maxWidth: 420 }}>
        {children}
      </Card>
    </Flex>
  );
}
