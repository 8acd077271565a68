import { useState } from 'react';
import { Alert, Button, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, LockOutlined, SafetyOutlined, UnlockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditQuery, AuditVerify } from '@tianshu/contracts';
import { type QueryParams, toQueryString } from '../../app/api-client';
import { formatDateTimeSeconds } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { type AuditFilterValues, AuditFilters } from './audit-filters.component';
import { useAuditLog, useVerifyAuditChain } from './use-audit.query';

const RESULT_COLORS: Record<AuditEntry['result'], string> = { success: 'green', denied: 'orange', failed: 'red' };

function VerifyResult({ result }: { result: AuditVerify }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        title={t('admin.audit.verifyOk', { checked: result.checked, unsealed: result.unsealed })}
        style={{ marginBottom: 16 }}
        data-testid="audit-verify-result"
        data-ok="true"
      />
    );
  }
  const broken = result.firstBroken;
  return (
    <Alert
      type="error"
      showIcon
      title={t('admin.audit.verifyBroken', {
        seq: broken?.sealSeq ?? '?',
        id: broken?.id ?? '?',
        reason: broken?.reason ?? '',
      })}
      style={{ marginBottom: 16 }}
      data-testid="audit-verify-result"
      data-ok="false"
    />
  );
}

export function AuditLogPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const query: AuditQuery = { ...filters, ...page };
  const log = useAuditLog(query);
  const verify = useVerifyAuditChain();

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('admin.audit.time'), dataIndex: 'at', key: 'at', width: 170, render: formatDateTimeSeconds },
    {
      title: t('admin.audit.actor'),
      key: 'actor',
      render: (_value, entry) => (
        <>
          <div>{entry.actorName ?? t('common.system')}</div>
          {entry.actorIp && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {entry.actorIp}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('admin.audit.action'), dataIndex: 'action', key: 'action', render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
    {
      title: t('admin.audit.object'),
      key: 'object',
      render: (_value, entry) => [entry.objectType, entry.objectId].filter(Boolean).join(' #') || t('common.none'),
    },
    {
      title: t('admin.audit.result'),
      dataIndex: 'result',
      key: 'result',
      render: (result: AuditEntry['result']) => <Tag color={RESULT_COLORS[result]}>{t(`auditResult.${result}`)}</Tag>,
    },
    {
      title: t('admin.audit.sealed'),
      dataIndex: 'sealed',
      key: 'sealed',
      align: 'center',
      render: (sealed: boolean) => (
        <Tooltip title={sealed ? t('admin.audit.sealed') : t('admin.audit.unsealed')}>
          {sealed ? <LockOutlined style={{ color: '#52c41a' }} /> : <UnlockOutlined style={{ color: '#faad14' }} />}
        </Tooltip>
      ),
    },
  ];

  // The export takes the same filters; a plain link lets the browser stream and save the CSV.
  const exportHref = `/api/audit/export${toQueryString(filters as QueryParams)}`;

  return (
    <>
      <PageHeader
        title={t('admin.audit.title')}
        testId="page-title"
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={exportHref} data-testid="audit-export">
              {t('admin.audit.export')}
            </Button>
            <Button icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
              {t('admin.audit.verify')}
            </Button>
          </>
        }
      />
      {verify.data && <VerifyResult result={verify.data} />}
      <AuditFilters
        onSearch={(next) => {
          setFilters(next);
          setPage((old) => ({ ...old, page: 1 }));
        }}
      />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={log.data?.items ?? []}
        loading={log.isFetching}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (entry) => entry.details !== null && entry.details !== undefined,
          expandedRowRender: (entry) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(entry.details, null, 2)}</pre>
          ),
        }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: log.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (next, pageSize) => setPage({ page: next, pageSize }),
        }}
      />
    </>
  );
}
