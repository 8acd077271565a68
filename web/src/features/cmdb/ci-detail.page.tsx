import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Empty, Flex, Popconfirm, Result, Row, Select, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { useGroups, useOrganizations } from '../../shared/use-directory.query';
import { CiFormModal } from './ci-form-modal.component';
import { CiRelationsCard } from './ci-relations-card.component';
import { CiStatusTag, ImportanceTag, useAttributeText } from './cmdb-presentation.component';
import type { CiChange, CiEffectiveAttribute, CiVersion } from './cmdb-types';
import { useRetireCi } from './use-cmdb.mutation';
import { useCi, useCiClasses, useCiDiff, useCiVersions } from './use-cmdb.query';
import { useAssets } from '../assets/use-assets.query';

type FieldLabelKey =
  | 'cmdb.class'
  | 'cmdb.name'
  | 'cmdb.org'
  | 'cmdb.ownerUser'
  | 'cmdb.ownerGroup'
  | 'cmdb.location'
  | 'cmdb.importance'
  | 'cmdb.status'
  | 'cmdb.serialNumber'
  | 'cmdb.assetTag'
  | 'cmdb.hostname'
  | 'cmdb.ip'
  | 'cmdb.cloudId';

const FIELD_LABELS: Record<string, FieldLabelKey> = {
  classId: 'cmdb.class',
  name: 'cmdb.name',
  orgId: 'cmdb.org',
  ownerUserId: 'cmdb.ownerUser',
  ownerGroupId: 'cmdb.ownerGroup',
  location: 'cmdb.location',
  importance: 'cmdb.importance',
  status: 'cmdb.status',
  serialNumber: 'cmdb.serialNumber',
  assetTag: 'cmdb.assetTag',
  hostname: 'cmdb.hostname',
  ip: 'cmdb.ip',
  cloudId: 'cmdb.cloudId',
};

/** Labels for changed fields: CI fields by name, `attr.key` by the class schema. */
function useFieldLabel(schema: readonly CiEffectiveAttribute[]) {
  const { t } = useTranslation();
  return (field: string): string => {
    if (field.startsWith('attr.')) {
      const key = field.slice(5);
      return schema.find((a) => a.key === key)?.label ?? key;
    }
    const labelKey = FIELD_LABELS[field];
    return labelKey ? t(labelKey) : field;
  };
}

function valueText(value: unknown, none: string): string {
  if (value === null || value === undefined || value === '') return none;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean);
}

function DiffCard({ ciId, versions, fieldLabel }: { ciId: number; versions: readonly CiVersion[]; fieldLabel: (f: string) => string }) {
  const { t } = useTranslation();
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const latest = numbers[numbers.length - 1];
  const previous = numbers[numbers.length - 2];
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const fromV = from ?? previous;
  const toV = to ?? latest;
  const diff = useCiDiff(ciId, fromV, toV);
  const options = numbers.map((n) => ({ value: n, label: `v${n}` }));
  const columns: TableColumnsType<CiChange> = [
    { title: t('cmdb.diffField'), key: 'field', render: (_v, c) => fieldLabel(c.field) },
    { title: t('cmdb.diffOld'), key: 'from', render: (_v, c) => <Typography.Text delete>{valueText(c.from, t('common.none'))}</Typography.Text> },
    { title: t('cmdb.diffNew'), key: 'to', render: (_v, c) => <Typography.Text strong>{valueText(c.to, t('common.none'))}</Typography.Text> },
  ];
  return (
    <Card title={t('cmdb.diff')} style={{ marginBottom: 16 }} data-testid="cmdb-diff">
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <span>{t('cmdb.diffFrom')}</span>
        <Select<number> value={fromV} options={options} onChange={setFrom} style={{ minWidth: 90 }} data-testid="cmdb-diff-from" aria-label={t('cmdb.diffFrom')} />
        <span>{t('cmdb.diffTo')}</span>
        <Select<number> value={toV} options={options} onChange={setTo} style={{ minWidth: 90 }} data-testid="cmdb-diff-to" aria-label={t('cmdb.diffTo')} />
      </Flex>
      {fromV === undefined || toV === undefined || fromV === toV ? (
        <Typography.Text type="secondary">{t('cmdb.diffPick')}</Typography.Text>
      ) : (
        <Table<CiChange>
          rowKey="field"
          size="small"
          loading={diff.isFetching}
          columns={columns}
          dataSource={diff.data?.changes ?? []}
          pagination={false}
          locale={{ emptyText: t('cmdb.diffEmpty') }}
          onRow={(c) => testId(`cmdb-diff-row-${c.field}`, {})}
        />
      )}
    </Card>
  );
}

export function CiDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const ciQuery = useCi(id);
  const ci = ciQuery.data;
  const classes = useCiClasses(ci !== undefined);
  const versions = useCiVersions(ci ? id : 0);
  const organizations = useOrganizations(ci !== undefined);
  const groups = useGroups(ci !== undefined && can('group.read'));
  const retire = useRetireCi(id);
  const attributeText = useAttributeText();
  const [editing, setEditing] = useState(false);
  const cls = classes.data?.find((c) => c.id === ci?.classId);
  const schema = useMemo(() => cls?.effectiveAttributes ?? [], [cls]);
  const fieldLabel = useFieldLabel(schema);

  if (ciQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!ci) {
    const error = ciQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('cmdb.notFound') : t('cmdb.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="cmdb-not-found"
        extra={
          <Link to="/cmdb">
            <Button>{t('cmdb.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const none = t('common.none');
  const canManage = can('cmdb.ci.manage');
  const orgName = organizations.data?.find((o) => o.id === ci.orgId)?.name ?? `#${ci.orgId}`;
  const groupName = ci.ownerGroupId === null ? none : (groups.data?.find((g) => g.id === ci.ownerGroupId)?.name ?? `#${ci.ownerGroupId}`);
  const extraKeys = Object.keys(ci.attributes).filter((k) => !schema.some((a) => a.key === k));
  const attrItems: { key: string; label: ReactNode; children: ReactNode }[] = [
    ...schema.map((a) => ({ key: a.key, label: a.label, children: <span data-testid={`cmdb-attr-value-${a.key}`}>{attributeText(a, ci.attributes[a.key])}</span> })),
    ...extraKeys.map((k) => ({ key: k, label: k, children: <span data-testid={`cmdb-attr-value-${k}`}>{attributeText(undefined, ci.attributes[k])}</span> })),
  ];

  const historyColumns: TableColumnsType<CiVersion> = [
    { title: t('cmdb.version'), key: 'version', render: (_v, v) => <Tag>v{v.version}</Tag> },
    { title: t('cmdb.changedBy'), key: 'by', render: (_v, v) => v.changedByName ?? t('cmdb.system') },
    { title: t('cmdb.changedAt'), key: 'at', render: (_v, v) => formatDateTime(v.changedAt) },
    { title: t('cmdb.changeTicket'), key: 'ticket', render: (_v, v) => (v.changeTicketId === null ? none : <Link to={`/incidents/${v.changeTicketId}`}>#{v.changeTicketId}</Link>) },
    {
      title: t('cmdb.changedFields'),
      key: 'changes',
      render: (_v, v) => (
        <Flex wrap gap={4}>
          {v.changes.map((c) => (
            <Tag key={c.field}>{fieldLabel(c.field)}</Tag>
          ))}
        </Flex>
      ),
    },
  ];
  const versionList = versions.data ?? [];

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Link to="/cmdb">
          <ArrowLeftOutlined /> {t('cmdb.backToList')}
        </Link>
        <Flex wrap justify="space-between" align="center" gap={8}>
          <Flex wrap align="center" gap={8}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="cmdb-ci-title">
              {ci.name}
            </Typography.Title>
            <Tag data-testid="cmdb-ci-class">{ci.className}</Tag>
            <CiStatusTag status={ci.status} />
            <ImportanceTag importance={ci.importance} />
          </Flex>
          <Flex wrap gap={8}>
            <CiQuickLinks ciId={ci.id} />
          </Flex>
          {canManage && (
            <Flex wrap gap={8}>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="cmdb-ci-edit">
                {t('common.edit')}
              </Button>
              {ci.status !== 'retired' && (
                <Popconfirm
                  title={t('cmdb.retireConfirm')}
                  okText={t('cmdb.retire')}
                  cancelText={t('common.cancel')}
                  okButtonProps={testId('cmdb-ci-retire-ok', { danger: true })}
                  onConfirm={() => retire.mutateAsync().then(() => notifySuccess(t('cmdb.retired')))}
                >
                  <Button danger icon={<StopOutlined />} loading={retire.isPending} data-testid="cmdb-ci-retire">
                    {t('cmdb.retire')}
                  </Button>
                </Popconfirm>
              )}
            </Flex>
          )}
        </Flex>
      </Flex>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('cmdb.identifiers')} style={{ marginBottom: 16 }} data-testid="cmdb-identifiers">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('cmdb.hostname')}>{ci.hostname ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.ip')}>{ci.ip ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.serialNumber')}>{ci.serialNumber ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.assetTag')}>{ci.assetTag ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.cloudId')}>{ci.cloudId ?? none}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('cmdb.ownership')} style={{ marginBottom: 16 }} data-testid="cmdb-ownership">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('cmdb.org')}>{orgName}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.ownerUser')}>{ci.ownerUserId === null ? none : `#${ci.ownerUserId}`}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.ownerGroup')}>{groupName}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.location')}>{ci.location ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('cmdb.updatedAt')}>{formatDateTime(ci.updatedAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <Card title={t('cmdb.attributes')} style={{ marginBottom: 16 }} data-testid="cmdb-attributes">
        {attrItems.length === 0 ? <Empty description={t('cmdb.noAttributes')} /> : <Descriptions column={{ xs: 1, md: 2 }} size="small" items={attrItems} />}
      </Card>
      <CiRelationsCard ciId={ci.id} />
      <Card title={t('cmdb.history')} style={{ marginBottom: 16 }} data-testid="cmdb-history">
        <Table<CiVersion>
          rowKey="version"
          size="small"
          loading={versions.isPending}
          columns={historyColumns}
          dataSource={[...versionList].sort((a, b) => b.version - a.version)}
          pagination={false}
          onRow={(v) => testId(`cmdb-version-row-${v.version}`, {})}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {versionList.length > 1 && <DiffCard key={versionList.length} ciId={ci.id} versions={versionList} fieldLabel={fieldLabel} />}
      {editing && (
        <CiFormModal
          open
          ci={ci}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifySuccess(t('cmdb.saved'));
          }}
        />
      )}
    </>
  );
}

/** The asset linked to the CI (assets link to at most one CI) and the baselines that hold it, for those who may see them. */
function CiQuickLinks({ ciId }: { ciId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const assets = useAssets({ ciId, includeDisposed: true, pageSize: 1 }, can('asset.read'));
  const asset = assets.data?.items[0];
  return (
    <>
      {asset && (
        <Link to={`/assets/${asset.id}`} data-testid="cmdb-ci-asset-link">
          <Button>{t('cmdb.linkedAsset', { tag: asset.assetTag })}</Button>
        </Link>
      )}
      {can('cmdb.audit') && (
        <Link to={`/cmdb/baselines?ciId=${ciId}`} data-testid="cmdb-ci-baselines-link">
          <Button>{t('cmdb.baselinesOfCi')}</Button>
        </Link>
      )}
    </>
  );
}
