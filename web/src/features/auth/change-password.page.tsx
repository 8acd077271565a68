import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { AuthCard } from './auth-card.component';
import { meetsPasswordPolicy } from './password-policy';

interface ChangePasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { changePassword, logout } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async (values: ChangePasswordForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      notifySuccess(t('auth.passwordChanged'));
      navigate('/', { replace: true });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthCard title={t('auth.changePasswordTitle')}>
      {me.mustChangePassword && (
        <Alert type="warning" showIcon title={t('auth.mustChangePassword')} style={{ marginBottom: 16 }} data-testid="password-change-required" />
      )}
      <Alert type="info" title={t('auth.policyTitle')} description={t('auth.policyText')} style={{ marginBottom: 16 }} data-testid="password-policy" />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form<ChangePasswordForm> layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false}>
        <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('auth.newPassword')}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            {
              validator: (_rule, value: string | undefined) =>
                !value || meetsPasswordPolicy(value) ? Promise.resolve() : Promise.reject(new Error(t('auth.policyViolation'))),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('auth.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="change-password-submit">
            {t('auth.changePasswordSubmit')}
          </Button>
          {me.mustChangePassword ? (
            <Button block onClick={() => void logout().finally(() => navigate('/login', { replace: true }))} data-testid="logout">
              {t('header.logout')}
            </Button>
          ) : (
            <Button block onClick={() => navigate(-1)}>
              {t('common.back')}
            </Button>
          )}
        </Space>
      </Form>
    </AuthCard>
  );
}
