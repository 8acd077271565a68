import { useState } from 'react';
import { Button, Flex, Input, Radio, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth-context';
import { notifySuccess } from '../../../app/notifier';
import { useAddComment } from '../use-incident.mutations';

/** Public reply (the requester sees it) or internal note (provider staff only). */
export function IncidentComposer({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mayWriteInternal = can('ticket.internal');
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [touched, setTouched] = useState(false);
  const addComment = useAddComment(ticketId);

  const empty = body.trim().length === 0;

  const submit = async () => {
    setTouched(true);
    if (empty) return;
    await addComment.mutateAsync({ body: body.trim(), internal: mayWriteInternal && internal });
    setBody('');
    setTouched(false);
    notifySuccess(t('incident.detail.commentAdded'));
  };

  return (
    <Flex vertical gap={8} data-testid="incident-composer">
      {mayWriteInternal && (
        <Radio.Group value={internal ? 'internal' : 'public'} onChange={(event) => setInternal(event.target.value === 'internal')} optionType="button" buttonStyle="solid">
          <Radio.Button value="public">
            <span data-testid="comment-public">{t('incident.detail.reply')}</span>
          </Radio.Button>
          <Radio.Button value="internal">
            <span data-testid="comment-internal">{t('incident.detail.internalNote')}</span>
          </Radio.Button>
        </Radio.Group>
      )}
      {internal && <Typography.Text type="warning">{t('incident.detail.internalHint')}</Typography.Text>}
      <Input.TextArea
        value={body}
        onChange={(event) => setBody(event.target.value)}
        placeholder={t('incident.detail.commentPlaceholder')}
        autoSize={{ minRows: 3, maxRows: 12 }}
        maxLength={20000}
        status={touched && empty ? 'error' : undefined}
        style={internal ? { background: '#fffbe6' } : undefined}
        data-testid="comment-input"
      />
      {touched && empty && <Typography.Text type="danger">{t('incident.detail.commentRequired')}</Typography.Text>}
      <Flex justify="flex-end">
        <Button type="primary" icon={<SendOutlined />} loading={addComment.isPending} onClick={() => void submit().catch(() => undefined)} data-testid="comment-submit">
          {internal ? t('incident.detail.internalNote') : t('incident.detail.send')}
        </Button>
      </Flex>
    </Flex>
  );
}
