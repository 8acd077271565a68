import { useEffect } from 'react';
import { BrowserRouter } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
// Vite 8 trap: 'antd/locale/zh_CN' silently resolves to English in production builds.
import antdZhCN from 'antd/es/locale/zh_CN';
import antdEnUS from 'antd/es/locale/en_US';
import { AuthProvider } from './auth-context';
import { currentLocale } from './i18n/i18n';
import { setMessageApi } from './notifier';
import { queryClient } from './query-client';
import { AppRoutes } from './router';
import { appTheme } from './theme';

function MessageBridge() {
  const { message } = AntApp.useApp();
  useEffect(() => {
    setMessageApi(message);
    return () => setMessageApi(null);
  }, [message]);
  return null;
}

export function App() {
  // Subscribes to language changes so ConfigProvider switches antd's own texts as well.
  useTranslation();
  const antdLocale = currentLocale() === 'en-US' ? antdEnUS : antdZhCN;
  return (
    <ConfigProvider locale={antdLocale} theme={appTheme}>
      <AntApp>
        <MessageBridge />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
