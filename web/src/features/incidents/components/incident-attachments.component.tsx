import { Button, Empty, List, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notifier';
import { formatDateTime, formatSize } from '../../../shared/format';
import { useUploadAttachment } from '../use-incident.mutations';
import { useIncidentAttachments } from '../use-incidents.query';

export function IncidentAttachments({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const attachments = useIncidentAttachments(ticketId, true);
  const upload = useUploadAttachment(ticketId);

  return (
    <>
      <List
        size="small"
        loading={attachments.isPending}
        dataSource={attachments.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.detail.noAttachments')} /> }}
        renderItem={(attachment) => (
          <List.Item>
            <List.Item.Meta
              avatar={<PaperClipOutlined />}
              title={
                // A plain link: the browser sends the session cookie and saves the file itself.
                <a href={`/api/attachments/${attachment.id}/download`} data-testid={`attachment-${attachment.id}`} style={{ wordBreak: 'break-all' }}>
                  {attachment.filename}
                </a>
              }
              description={
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatSize(attachment.size)} · {formatDateTime(attachment.createdAt)}
                </Typography.Text>
              }
            />
          </List.Item>
        )}
      />
      <Upload
        showUploadList={false}
        multiple
        customRequest={({ file, onSuccess, onError }) => {
          if (!(file instanceof File)) return;
          upload.mutate(file, {
            onSuccess: (result) => {
              notifySuccess(t('incident.detail.uploaded', { name: file.name }));
              onSuccess?.(result);
            },
            onError: (error) => onError?.(error),
          });
        }}
      >
        <Button icon={<UploadOutlined />} loading={upload.isPending} style={{ marginTop: 8 }} data-testid="attachment-upload">
          {t('incident.detail.upload')}
        </Button>
      </Upload>
    </>
  );
}
