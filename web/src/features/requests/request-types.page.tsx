import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RequestType } from '@tianshu/contracts';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { localized } from '../workflows/workflow-labels';
import { RequestIcon } from './request-icon.component';
import { useRequestTypes } from './use-requests.query';

/** Admin list of request types (请求类型) with their workflow, form version and tasks. */
export function RequestTypesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const types = useRequestTypes();
  return (
    <>
      <PageHeader
        title={t('request.admin.title')}
        testId="page-title"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/settings/request-types/new')} data-testid="request-type-new">
            {t('request.admin.create')}
          </Button>
        }
      />
      <Card>
        <Table<RequestType>
          rowKey="id"
          loading={types.isFetching}
          dataSource={types.data?.items ?? []}
          pagination={false}
          data-testid="request-type-table"
          columns={[
            {
              title: t('request.admin.name'),
              render: (_v, r) => (
                <Flex gap={6}>
                  <RequestIcon name={r.icon} />
                  <Link to={`/settings/request-types/${r.id}`} data-testid={`request-type-${r.key}`}>
                    {localized(r.name, i18n.language)}
                  </Link>
                  {r.builtIn && <Tag>{t('request.admin.builtIn')}</Tag>}
                </Flex>
              ),
            },
            { title: t('request.admin.key'), dataIndex: 'key' },
            { title: t('request.admin.category'), render: (_v, r) => localized(r.category, i18n.language) },
            { title: t('request.admin.workflow'), dataIndex: 'workflowKey' },
            { title: t('request.admin.formVersion'), dataIndex: 'formVersion', render: (v: number) => `v${v}` },
            { title: t('request.admin.tasks'), render: (_v, r) => r.taskTemplates.length },
            { title: t('request.admin.orgs'), render: (_v, r) => (r.orgIds === null ? t('request.admin.allOrgs') : t('request.admin.someOrgs', { count: r.orgIds.length })) },
            { title: t('request.admin.active'), render: (_v, r) => (r.active ? <Tag color="green">{t('request.admin.activeOn')}</Tag> : <Tag>{t('request.admin.activeOff')}</Tag>) },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
    </>
  );
}
