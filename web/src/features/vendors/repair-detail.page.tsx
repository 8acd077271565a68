import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Result, Row, Skeleton, Tag, Timeline, Upload } from 'antd';
import { ArrowLeftOutlined, LinkOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime, formatSize } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { ApprovalsCard } from '../approvals/ticket-approvals.card';
import { RepairActionModal } from './repair-action-modal.component';
import { useAddRepairDocument, useUploadRepairDocument } from './use-vendors.mutation';
import { useRepair } from './use-vendors.query';
import { RepairStatusTag, useTurnaroundText, WarrantyTag } from './vendor-presentation.component';
import type { RepairAction, RepairDocument } from './vendor-types';

const EVENT_KINDS = ['created', 'send', 'estimate', 'approve', 'reject', 'start', 'return', 'close', 'cancel', 'document', 'approval'] as const;
type EventKind = (typeof EVENT_KINDS)[number];
const isEventKind = (k: string): k is EventKind => (EVENT_KINDS as readonly string[]).includes(k);

function DocumentModal({ orderId, onClose }: { orderId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; url: string; description: string }>();
  const add = useAddRepairDocument(orderId);
  const submit = async () => {
    const v = await form.validateFields();
    await add.mutateAsync({ name: v.name.trim(), url: v.url?.trim() ?? '', description: v.description?.trim() ?? '' });
    notifySuccess(t('vendor.repair.documentAdded'));
    onClose();
  };
  return (
    <Modal
      open
      title={t('vendor.repair.addDocument')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      okButtonProps={testId('repair-document-save', {})}
      destroyOnHidden
    >
      {add.error && <Alert type="error" showIcon title={errorText(add.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="name" label={t('vendor.repair.documentName')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="repair-document-name" />
        </Form.Item>
        <Form.Item name="url" label={t('vendor.repair.documentUrl')} rules={[{ type: 'url' }]}>
          <Input maxLength={1000} placeholder="https://" data-testid="repair-document-url" />
        </Form.Item>
        <Form.Item name="description" label={t('vendor.repair.documentDescription')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Uploads quotes, invoices, RMA forms, photos; the server sniffs the type and refuses executables. */
function DocumentUpload({ orderId }: { orderId: number }) {
  const { t } = useTranslation();
  const upload = useUploadRepairDocument(orderId);
  return (
    <Upload
      showUploadList={false}
      multiple
      data-testid="repair-document-upload-input"
      customRequest={({ file, onSuccess, onError }) => {
        if (!(file instanceof File)) return;
        upload.mutate(
          { file },
          {
            onSuccess: (result) => {
              notifySuccess(t('vendor.repair.documentUploaded', { name: file.name }));
              onSuccess?.(result);
            },
            onError: (error) => onError?.(error),
          },
        );
      }}
    >
      <Button size="small" icon={<UploadOutlined />} loading={upload.isPending} data-testid="repair-document-upload">
        {t('vendor.repair.uploadDocument')}
      </Button>
    </Upload>
  );
}

function DocumentItem({ d }: { d: RepairDocument }) {
  const { t } = useTranslation();
  const who = `${d.addedByName ?? ''} ${formatDateTime(d.addedAt)}`;
  if (d.file && d.downloadUrl)
    return (
      <List.Item data-testid={`repair-document-${d.id}`}>
        <List.Item.Meta
          avatar={<PaperClipOutlined />}
          title={
            // A plain link: the browser sends the session cookie and saves the file itself.
            <a href={d.downloadUrl} data-testid={`repair-document-download-${d.id}`} style={{ wordBreak: 'break-all' }}>
              {d.name}
            </a>
          }
          description={
            <>
              {d.description && <div>{d.description}</div>}
              <span style={{ fontSize: 12 }} data-testid={`repair-document-size-${d.id}`}>
                {t('vendor.repair.documentFile')} · {formatSize(d.file.size)} · {who}
              </span>
            </>
          }
        />
      </List.Item>
    );
  return (
    <List.Item data-testid={`repair-document-${d.id}`}>
      <List.Item.Meta
        avatar={<LinkOutlined />}
        title={d.url ? <a href={d.url} target="_blank" rel="noreferrer noopener">{d.name}</a> : d.name}
        description={`${d.description} ${who}`}
      />
    </List.Item>
  );
}

export function RepairDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const repair = useRepair(id);
  const turnaround = useTurnaroundText();
  const [action, setAction] = useState<RepairAction | null>(null);
  const [addingDoc, setAddingDoc] = useState(false);

  if (repair.isPending) return <Skeleton active />;
  if (repair.isError || !repair.data)
    return (
      <Result
        status="404"
        title={t('vendor.repair.notFound')}
        extra={
          <Link to="/repairs">
            <Button>{t('vendor.back')}</Button>
          </Link>
        }
      />
    );
  const r = repair.data;
  const none = t('common.none');

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Flex align="center" gap={8}>
          <Link to="/repairs">
            <Button icon={<ArrowLeftOutlined />} aria-label={t('vendor.back')} />
          </Link>
          <h2 style={{ margin: 0 }} data-testid="page-title">
            {r.number}
          </h2>
          <RepairStatusTag status={r.status} />
          <WarrantyTag inWarranty={r.inWarranty} />
          {r.overdue && <Tag color="red">{t('vendor.repair.overdue')}</Tag>}
        </Flex>
        <Flex gap={8} wrap data-testid="repair-actions">
          {r.allowedActions.map((a) => (
            <Button key={a} type={a === 'cancel' ? 'default' : 'primary'} danger={a === 'reject' || a === 'cancel'} onClick={() => setAction(a)} data-testid={`repair-action-${a}`}>
              {t(`vendor.repair.actions.${a}`)}
            </Button>
          ))}
        </Flex>
      </Flex>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" data-testid="repair-fields">
              <Descriptions.Item label={t('vendor.repair.asset')}>
                <Link to={`/assets/${r.assetId}`}>
                  {r.assetTag} {r.assetName}
                </Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.org')}>{r.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.vendor')}>{r.vendorId ? <Link to={`/vendors/${r.vendorId}`}>{r.vendorName}</Link> : none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.contractField')}>{r.contractNumber ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.warranty')}>{t(`vendor.repair.warrantyBasis.${r.warrantyBasis}`)}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.ticket')}>{r.ticketId ? <Link to={`/incidents/${r.ticketId}`}>{r.ticketNumber}</Link> : none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.fault')} span={2}>
                {r.fault}
              </Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.rmaNumber')}>{r.rmaNumber ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.sentAt')}>{formatDateTime(r.sentAt) || none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.estimatedCost')}>{r.estimatedCost ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.requestedBy')}>{r.requestedByName ?? none}</Descriptions.Item>
              <Descriptions.Item label={r.rejectedAt ? t('vendor.repair.rejectedAt') : t('vendor.repair.approvedAt')}>{formatDateTime(r.rejectedAt ?? r.approvedAt) || none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.decisionComment')}>{r.decisionComment ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.returnedAt')}>{formatDateTime(r.returnedAt) || none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.turnaround')}>
                <span data-testid="repair-turnaround">{turnaround(r.turnaroundHours)}</span>
                {r.resolutionHours !== null && ` / ${t('vendor.repair.resolutionHours')} ${t('vendor.repair.hours', { h: r.resolutionHours })}`}
              </Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.outcome')}>{r.outcome ? t(`vendor.repair.outcomeValues.${r.outcome}`) : none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.actualCost')}>{r.actualCost ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.repair.createdBy')}>
                {r.createdByName ?? none} {formatDateTime(r.createdAt)}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card
            title={t('vendor.repair.documents')}
            size="small"
            extra={
              can('asset.manage') && (
                <Flex gap={8}>
                  <DocumentUpload orderId={r.id} />
                  <Button size="small" icon={<PlusOutlined />} onClick={() => setAddingDoc(true)} data-testid="repair-document-add">
                    {t('vendor.repair.addDocument')}
                  </Button>
                </Flex>
              )
            }
          >
            <List
              size="small"
              dataSource={r.documents}
              locale={{ emptyText: t('vendor.repair.noDocuments') }}
              renderItem={(d) => <DocumentItem d={d} />}
            />
            <div style={{ color: '#8c8c8c', fontSize: 12 }}>{t('vendor.repair.documentsHint')}</div>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          {!r.inWarranty && <ApprovalsCard source={{ kind: 'repair', id: r.id }} />}
          <Card title={t('vendor.repair.timeline')} size="small" data-testid="repair-timeline">
            {r.events.length === 0 ? (
              <Empty />
            ) : (
              <Timeline
                items={r.events.map((e) => ({
                  key: e.id,
                  children: (
                    <div data-testid={`repair-event-${e.kind}`}>
                      <strong>{isEventKind(e.kind) ? t(`vendor.repair.eventKinds.${e.kind}`) : e.kind}</strong>
                      {e.toStatus && e.fromStatus && (
                        <span>
                          {' '}
                          {t(`vendor.repair.statusValues.${e.fromStatus as 'open'}`)} → {t(`vendor.repair.statusValues.${e.toStatus as 'open'}`)}
                        </span>
                      )}
                      <div style={{ color: '#8c8c8c', fontSize: 12 }}>
                        {e.actorName ?? 'system'} · {formatDateTime(e.at)}
                      </div>
                      {e.note && <div>{e.note}</div>}
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      {action && (
        <RepairActionModal
          order={r}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            notifySuccess(t('vendor.repair.done'));
          }}
        />
      )}
      {addingDoc && <DocumentModal orderId={r.id} onClose={() => setAddingDoc(false)} />}
    </>
  );
}
