import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { LoginRequest } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { errorText } from '../../app/notifier';
import { AuthCard } from './auth-card.component';

function redirectTarget(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = (state as { from: unknown }).from;
    // Only same-app paths: never bounce to another origin after login.
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from;
  }
  return '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, login } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  if (me) return <Navigate to={me.mustChangePassword ? '/change-password' : redirectTarget(location.state)} replace />;

  const onFinish = async (values: LoginRequest) => {
    setSubmitting(true);
    setError(null);
    try {
      const user = await login(values);
      navigate(user.mustChangePassword ? '/change-password' : redirectTarget(location.state), { replace: true });
    } catch (failure) {
      // Shown inline (not as a toast) so the message stays next to the form.
      setError(errorText(failure));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthCard title={t('auth.loginTitle')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form<LoginRequest> layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false}>
        <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
          {t('auth.login')}
        </Button>
      </Form>
    </AuthCard>
  );
}
