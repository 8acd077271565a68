import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { testId } from './test-id';

/** Shows a secret the server returns exactly once (API token, one-time password). */
export function SecretModal(props: { open: boolean; title: string; hint: string; secret: string; testId: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={props.onClose}
      okText={t('common.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      okButtonProps={testId('modal-ok', {})}
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon title={props.hint} style={{ marginBottom: 16 }} />
      <Typography.Paragraph copyable={{ text: props.secret }} code data-testid={props.testId} style={{ wordBreak: 'break-all', fontSize: 15 }}>
        {props.secret}
      </Typography.Paragraph>
    </Modal>
  );
}
