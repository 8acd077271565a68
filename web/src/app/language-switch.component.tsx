import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Locale } from '@tianshu/contracts';
import { useAuth } from './auth-context';
import { LOCALES, currentLocale } from './i18n/i18n';
import { notifyError } from './notifier';

/** Switches the UI language; when signed in the choice is saved on the user (PATCH /api/auth/me). */
export function LanguageSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { t } = useTranslation();
  const { changeLocale } = useAuth();
  const locale = currentLocale();

  const select = (next: Locale) => {
    changeLocale(next).catch(notifyError);
  };

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((value) => ({
          key: value,
          label: <span data-testid={`lang-option-${value}`} lang={value}>{t(`languages.${value}`)}</span>,
        })),
        onClick: ({ key }) => {
          const next = LOCALES.find((value) => value === key);
          if (next) select(next);
        },
      }}
    >
      <Button type={type} icon={<GlobalOutlined />} data-testid="lang-switch" aria-label={t('header.language')} data-locale={locale}>
        {t(`languages.${locale}`)}
      </Button>
    </Dropdown>
  );
}
