import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Col, Flex, Input, Row, Select, Space, Table, Tree } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifyError, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useOrganizations } from '../../shared/use-directory.query';
import { CiFormModal } from './ci-form-modal.component';
import { CiImportModal } from './ci-import-modal.component';
import { downloadXlsx } from './use-cmdb-import.mutation';
import { buildClassTree, CiStatusTag, ImportanceTag } from './cmdb-presentation.component';
import { CI_STATUSES, type Ci, type CiStatus } from './cmdb-types';
import { useCiClasses, useCis } from './use-cmdb.query';

const PAGE_SIZE = 20;

export function CiListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const classes = useCiClasses();
  const organizations = useOrganizations();
  const [classId, setClassId] = useState<number | undefined>();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<CiStatus | undefined>();
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(search.trim());
  const [attrKey, setAttrKey] = useState<string | undefined>();
  const [attrInput, setAttrInput] = useState('');
  const attrValue = useDebouncedValue(attrInput.trim());
  const attrFilter = classId !== undefined && attrKey && attrValue ? { attrKey, attrValue } : {};
  const cis = useCis({ classId, q: q || undefined, status, ...attrFilter, page, pageSize: PAGE_SIZE });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const selectedClass = classes.data?.find((c) => c.id === classId);

  const tree = useMemo(
    () => [{ key: 0, title: <span data-testid="cmdb-class-all">{t('cmdb.allClasses')}</span>, children: buildClassTree(classes.data ?? [], (c) => <span data-testid={`cmdb-class-node-${c.key}`}>{c.name}</span>) }],
    [classes.data, t],
  );
  const orgName = useMemo(() => new Map((organizations.data ?? []).map((o) => [o.id, o.name])), [organizations.data]);

  const columns: TableColumnsType<Ci> = [
    {
      title: t('cmdb.name'),
      key: 'name',
      render: (_v, c) => (
        <Link to={`/cmdb/cis/${c.id}`} data-testid={`cmdb-ci-link-${c.id}`} onClick={(e) => e.stopPropagation()}>
          {c.name}
        </Link>
      ),
    },
    { title: t('cmdb.class'), key: 'class', dataIndex: 'className' },
    { title: t('cmdb.org'), key: 'org', render: (_v, c) => orgName.get(c.orgId) ?? `#${c.orgId}` },
    { title: t('cmdb.importance'), key: 'importance', render: (_v, c) => <ImportanceTag importance={c.importance} /> },
    { title: t('cmdb.status'), key: 'status', render: (_v, c) => <CiStatusTag status={c.status} /> },
    { title: t('cmdb.hostname'), key: 'hostname', render: (_v, c) => c.hostname ?? t('common.none') },
    { title: t('cmdb.ip'), key: 'ip', render: (_v, c) => c.ip ?? t('common.none') },
    { title: t('cmdb.serialNumber'), key: 'serial', render: (_v, c) => c.serialNumber ?? t('common.none') },
    { title: t('cmdb.updatedAt'), key: 'updated', render: (_v, c) => formatDateTime(c.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('cmdb.title')}
        testId="page-title"
        extra={
          <>
            {can('cmdb.audit') && (
              <>
                <Button onClick={() => navigate('/cmdb/baselines')} data-testid="cmdb-baselines-link">
                  {t('cmdbQuality.navBaselines')}
                </Button>
                <Button onClick={() => navigate('/cmdb/audits')} data-testid="cmdb-audits-link">
                  {t('cmdbQuality.navAudits')}
                </Button>
              </>
            )}
            <Button
              icon={<DownloadOutlined />}
              disabled={!selectedClass}
              title={selectedClass ? undefined : t('cmdbImport.exportHint')}
              onClick={() =>
                selectedClass &&
                void downloadXlsx(`/api/cmdb/export?classKey=${encodeURIComponent(selectedClass.key)}`, `cmdb-${selectedClass.key}.xlsx`)
                  .then(() => notifySuccess(t('cmdbImport.exported', { name: selectedClass.name })))
                  .catch(notifyError)
              }
              data-testid="cmdb-export"
            >
              {t('cmdbImport.exportButton')}
            </Button>
            {can('cmdb.ci.manage') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="cmdb-import-open">
                {t('cmdbImport.importButton')}
              </Button>
            )}
            {can('cmdb.ci.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="cmdb-ci-new">
                {t('cmdb.create')}
              </Button>
            )}
          </>
        }
      />
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small" style={{ marginBottom: 16 }} loading={classes.isPending}>
            <div data-testid="cmdb-class-tree">
              <Tree<(typeof tree)[number]>
                blockNode
                defaultExpandedKeys={[0]}
                selectedKeys={[classId ?? 0]}
                treeData={tree}
                onSelect={(keys) => {
                  const key = Number(keys[0] ?? 0);
                  setClassId(key > 0 ? key : undefined);
                  setAttrKey(undefined);
                  setAttrInput('');
                  setPage(1);
                }}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Card>
            <Flex wrap gap={8} style={{ marginBottom: 16 }}>
              <Input.Search
                allowClear
                placeholder={t('cmdb.search')}
                value={search}
                onChange={(e) => {
                  setSearch(e.target.value);
                  setPage(1);
                }}
                style={{ maxWidth: 360 }}
                data-testid="cmdb-search"
              />
              <Select<CiStatus>
                allowClear
                placeholder={t('cmdb.statusFilter')}
                value={status}
                onChange={(v) => {
                  setStatus(v ?? undefined);
                  setPage(1);
                }}
                options={CI_STATUSES.map((s) => ({ value: s, label: t(`cmdb.statusValues.${s}`) }))}
                style={{ minWidth: 140 }}
                data-testid="cmdb-status-filter"
              />
              {/* Indexed attributes of the selected class can be searched by exact value. */}
              {selectedClass && selectedClass.attributes.some((a) => a.indexed) && (
                <Space.Compact>
                  <Select<string>
                    allowClear
                    placeholder={t('cmdb.attrFilter')}
                    value={attrKey}
                    onChange={(v) => {
                      setAttrKey(v ?? undefined);
                      setPage(1);
                    }}
                    options={selectedClass.attributes.filter((a) => a.indexed).map((a) => ({ value: a.key, label: a.label }))}
                    style={{ minWidth: 140 }}
                    data-testid="cmdb-attr-filter-key"
                  />
                  <Input
                    allowClear
                    placeholder={t('cmdb.attrFilterValue')}
                    value={attrInput}
                    disabled={!attrKey}
                    onChange={(e) => {
                      setAttrInput(e.target.value);
                      setPage(1);
                    }}
                    style={{ width: 180 }}
                    data-testid="cmdb-attr-filter-value"
                  />
                </Space.Compact>
              )}
            </Flex>
            <Table<Ci>
              rowKey="id"
              loading={cis.isFetching}
              columns={columns}
              dataSource={cis.data?.items ?? []}
              pagination={{ current: page, pageSize: PAGE_SIZE, total: cis.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
              locale={{ emptyText: t('cmdb.empty') }}
              onRow={(c) => testId(`cmdb-ci-row-${c.id}`, { onClick: () => navigate(`/cmdb/cis/${c.id}`), style: { cursor: 'pointer' } })}
              scroll={{ x: 'max-content' }}
            />
          </Card>
        </Col>
      </Row>
      {importing && <CiImportModal open onClose={() => setImporting(false)} />}
      {creating && (
        <CiFormModal
          open
          defaultClassId={classId}
          onClose={() => setCreating(false)}
          onSaved={(ci) => {
            setCreating(false);
            notifySuccess(t('cmdb.created'));
            navigate(`/cmdb/cis/${ci.id}`);
          }}
        />
      )}
    </>
  );
}
