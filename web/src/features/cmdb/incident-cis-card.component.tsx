import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Flex, Modal, Skeleton, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { CiMultiPicker } from './ci-picker.component';
import { ImportanceTag } from './cmdb-presentation.component';
import type { CiNode } from './cmdb-types';
import { useSetTicketCis } from './use-cmdb.mutation';
import { useTicketCis } from './use-cmdb.query';

function EditCisModal({ ticketId, current, onClose }: { ticketId: number; current: readonly CiNode[]; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSetTicketCis(ticketId);
  const [ciIds, setCiIds] = useState<number[]>(() => current.map((c) => c.id));
  return (
    <Modal
      open
      title={t('cmdb.ticketCis.editTitle')}
      onCancel={onClose}
      onOk={() =>
        save.mutate(ciIds, {
          onSuccess: () => {
            notifySuccess(t('cmdb.ticketCis.saved'));
            onClose();
          },
        })
      }
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('incident-cis-save', {})}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(save.error)} data-testid="incident-cis-error" />}
      <CiMultiPicker
        value={ciIds}
        onChange={(next) => {
          save.reset();
          setCiIds(next);
        }}
        known={current}
        placeholder={t('cmdb.ticketCis.pick')}
        testId="incident-cis-picker"
      />
    </Modal>
  );
}

/** For the incident page: the CIs attached to the ticket and the business services they impact. */
export function IncidentCisCard({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canEdit = can('ticket.work');
  const query = useTicketCis(ticketId);
  const [editing, setEditing] = useState(false);
  const data = query.data;

  return (
    <Card
      size="small"
      title={t('cmdb.ticketCis.title')}
      data-testid="incident-cis-card"
      extra={
        canEdit &&
        data && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="incident-cis-edit">
            {t('cmdb.ticketCis.edit')}
          </Button>
        )
      }
    >
      {query.error && <Alert type="error" showIcon title={errorText(query.error)} />}
      {!data ? (
        query.isPending && <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Flex vertical gap={12}>
          <div data-testid="incident-cis-list">
            {data.cis.length === 0 ? (
              <Typography.Text type="secondary">{t('cmdb.ticketCis.noCis')}</Typography.Text>
            ) : (
              <Flex vertical gap={4}>
                {data.cis.map((c) => (
                  <Flex key={c.id} wrap gap={4} align="center" data-testid={`incident-ci-${c.id}`}>
                    <Link to={`/cmdb/cis/${c.id}`}>{c.name}</Link>
                    <Tag>{c.className}</Tag>
                  </Flex>
                ))}
              </Flex>
            )}
          </div>
          <div data-testid="incident-affected-services">
            <Typography.Text strong>{t('cmdb.ticketCis.services')}</Typography.Text>
            <div style={{ marginTop: 4 }}>
              {data.services.length === 0 ? (
                <Typography.Text type="secondary">{t('cmdb.ticketCis.noServices')}</Typography.Text>
              ) : (
                <Flex vertical gap={4}>
                  {data.services.map((s) => (
                    <Flex key={s.id} wrap gap={4} align="center" data-testid={`incident-affected-service-${s.id}`}>
                      <Link to={`/cmdb/cis/${s.id}`}>{s.name}</Link>
                      <ImportanceTag importance={s.importance} />
                    </Flex>
                  ))}
                </Flex>
              )}
            </div>
          </div>
        </Flex>
      )}
      {editing && data && <EditCisModal ticketId={ticketId} current={data.cis} onClose={() => setEditing(false)} />}
    </Card>
  );
}
