import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Release, ReleaseCmdbCi } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { useConfirmCmdb } from './use-releases.mutation';

function CiTable({ rows, testid }: { rows: ReleaseCmdbCi[]; testid: string }) {
  const { t } = useTranslation();
  return (
    <Table<ReleaseCmdbCi>
      rowKey={(r) => `${r.changeId}-${r.ciId}`}
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid={testid}
      onRow={(r) => testId(`${testid}-row-${r.ciId}${r.bumped ? '' : '-unbumped'}`, {})}
      columns={[
        { title: t('release.cmdb.change'), key: 'change', render: (_v, r) => <Link to={`/changes/${r.changeId}`}>{r.changeNumber}</Link> },
        { title: t('release.cmdb.ci'), key: 'ci', render: (_v, r) => <Link to={`/cmdb/cis/${r.ciId}`}>{r.ciName}</Link> },
        {
          title: t('release.cmdb.bumped'),
          key: 'bumped',
          render: (_v, r) =>
            r.bumped ? (
              <Tag color="green">
                {t('release.cmdb.version')} {r.ciVersion} · {formatDateTime(r.versionAt)}
              </Tag>
            ) : (
              <Tag color="red">{t('release.cmdb.notBumped')}</Tag>
            ),
        },
      ]}
    />
  );
}

function ConfirmModal({ release, onClose }: { release: Release; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string; overrideNote?: string }>();
  const confirm = useConfirmCmdb(release.ticket.id);
  const unbumped = release.cmdbCheck.unbumped;
  const submit = async () => {
    const v = await form.validateFields();
    await confirm.mutateAsync({ note: v.note?.trim() || undefined, overrideNote: v.overrideNote?.trim() || undefined });
    notifySuccess(t('release.cmdb.confirmedOk'));
    onClose();
  };
  return (
    <Modal
      open
      width={720}
      title={t('release.cmdb.confirmTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('release.cmdb.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={confirm.isPending}
      okButtonProps={testId('release-cmdb-confirm-save', {})}
      destroyOnHidden
    >
      {confirm.error && <Alert type="error" showIcon title={errorText(confirm.error)} style={{ marginBottom: 16 }} data-testid="release-cmdb-error" />}
      {unbumped.length > 0 && (
        <>
          <Alert type="warning" showIcon title={t('release.cmdb.overrideHint')} style={{ marginBottom: 12 }} />
          <CiTable rows={unbumped} testid="release-cmdb-confirm-unbumped" />
        </>
      )}
      <Form form={form} layout="vertical" preserve={false} style={{ marginTop: 16 }}>
        {unbumped.length > 0 && (
          <Form.Item name="overrideNote" label={t('release.cmdb.overrideNote')} rules={[{ required: true, whitespace: true, message: t('release.cmdb.overrideRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="release-cmdb-override" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('release.cmdb.note')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="release-cmdb-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The live check of the linked changes' CIs and the recorded confirmation. */
export function ReleaseCmdbCard({ release, canManage }: { release: Release; canManage: boolean }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const d = release.details;
  const check = release.cmdbCheck;
  const ended = release.ticket.stateCategory === 'closed' || release.ticket.stateCategory === 'cancelled';
  return (
    <Card
      title={t('release.cmdb.title')}
      style={{ marginBottom: 16 }}
      data-testid="release-cmdb"
      extra={
        d.cmdbConfirmed ? (
          <Tag color="green" icon={<CheckCircleOutlined />} data-testid="release-cmdb-status" data-confirmed="true">
            {t('release.cmdb.confirmed')}
          </Tag>
        ) : (
          <Tag icon={<ExclamationCircleOutlined />} data-testid="release-cmdb-status" data-confirmed="false">
            {t('release.cmdb.notConfirmed')}
          </Tag>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('release.cmdb.hint')}</Typography.Paragraph>
      {release.changes.length === 0 ? (
        <Alert type="info" showIcon title={t('release.cmdb.noChanges')} />
      ) : (
        <>
          {check.unbumped.length > 0 ? (
            <Alert type="warning" showIcon title={t('release.cmdb.unbumpedCount', { count: check.unbumped.length })} style={{ marginBottom: 12 }} data-testid="release-cmdb-unbumped-count" />
          ) : (
            check.cis.length > 0 && <Alert type="success" showIcon title={t('release.cmdb.allBumped')} style={{ marginBottom: 12 }} />
          )}
          {check.changesWithoutCis.length > 0 && (
            <Alert
              type="info"
              showIcon
              title={t('release.cmdb.noCis', { numbers: check.changesWithoutCis.map((c) => c.changeNumber).join(t('common.listSeparator')) })}
              style={{ marginBottom: 12 }}
            />
          )}
          {check.cis.length > 0 && <CiTable rows={check.cis} testid="release-cmdb-cis" />}
        </>
      )}
      {d.cmdbConfirmed && (
        <Descriptions size="small" column={1} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('release.cmdb.confirmed')}>
            {t('release.cmdb.confirmedBy', { name: d.cmdbConfirmedByName ?? t('common.system'), at: formatDateTime(d.cmdbConfirmedAt) })}
          </Descriptions.Item>
          {d.cmdbNote && <Descriptions.Item label={t('release.cmdb.note')}>{d.cmdbNote}</Descriptions.Item>}
          {d.cmdbUnbumpedAtConfirmation.length > 0 && (
            <Descriptions.Item label={t('release.cmdb.unbumpedAtConfirmation')}>
              {d.cmdbUnbumpedAtConfirmation.map((c) => `${c.changeNumber} / ${c.ciName}`).join(t('common.listSeparator'))}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {canManage && !ended && release.changes.length > 0 && (
        <Button type={d.cmdbConfirmed ? 'default' : 'primary'} style={{ marginTop: 16 }} onClick={() => setConfirming(true)} data-testid="release-cmdb-confirm">
          {t('release.cmdb.confirm')}
        </Button>
      )}
      {confirming && <ConfirmModal release={release} onClose={() => setConfirming(false)} />}
    </Card>
  );
}
