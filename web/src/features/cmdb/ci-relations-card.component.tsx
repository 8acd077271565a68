import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Empty, Flex, Form, List, Modal, Popconfirm, Radio, Segmented, Select, Skeleton, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { CiPicker } from './ci-picker.component';
import { CiStatusTag, ImportanceTag } from './cmdb-presentation.component';
import type { CiRelationView, ImpactDirection, ImpactNode, ImpactResult } from './cmdb-types';
import { useCreateCiRelation, useDeleteCiRelation } from './use-cmdb.mutation';
import { useCiImpact, useCiRelations, useCiRelationTypes } from './use-cmdb.query';

// echarts is large: the graph is its own chunk, loaded when the card shows it.
const ImpactGraph = lazy(() => import('./impact-graph.component').then((m) => ({ default: m.ImpactGraph })));

const DEPTHS = Array.from({ length: 10 }, (_, i) => i + 1);

interface AddForm {
  typeId?: number;
  role: 'from' | 'to';
  otherId?: number;
}

function AddRelationModal({ ciId, onClose }: { ciId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const types = useCiRelationTypes();
  const create = useCreateCiRelation();
  const [form] = Form.useForm<AddForm>();
  const typeId = Form.useWatch('typeId', form);
  const type = types.data?.find((x) => x.id === typeId);
  const typeName = type?.name ?? '…';

  const submit = async () => {
    const v = await form.validateFields();
    if (v.typeId === undefined || v.otherId === undefined) return;
    const request = v.role === 'from' ? { typeId: v.typeId, fromCiId: ciId, toCiId: v.otherId } : { typeId: v.typeId, fromCiId: v.otherId, toCiId: ciId };
    await create.mutateAsync(request);
    notifySuccess(t('cmdb.rel.added'));
    onClose();
  };

  return (
    <Modal
      open
      title={t('cmdb.rel.addTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={testId('cmdb-relation-save', {})}
      destroyOnHidden
    >
      {create.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(create.error)} data-testid="cmdb-relation-error" />}
      <Form<AddForm> form={form} layout="vertical" initialValues={{ role: 'from' }} onValuesChange={() => create.reset()}>
        <Form.Item name="typeId" label={t('cmdb.rel.type')} rules={[{ required: true, message: t('cmdb.rel.typeRequired') }]} extra={type?.description}>
          <Select<number>
            loading={types.isPending}
            options={(types.data ?? []).map((x) => ({ value: x.id, label: `${x.name} / ${x.reverseName}` }))}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="cmdb-relation-type"
          />
        </Form.Item>
        <Form.Item name="role" label={t('cmdb.rel.role')}>
          <Radio.Group data-testid="cmdb-relation-role">
            <Flex vertical gap={4}>
              <Radio value="from" data-testid="cmdb-relation-role-from">
                {t('cmdb.rel.asFrom', { type: typeName })}
              </Radio>
              <Radio value="to" data-testid="cmdb-relation-role-to">
                {t('cmdb.rel.asTo', { type: typeName })}
              </Radio>
            </Flex>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="otherId" label={t('cmdb.rel.other')} rules={[{ required: true, message: t('cmdb.rel.ciRequired') }]}>
          <CiPicker excludeId={ciId} placeholder={t('cmdb.rel.pickCi')} testId="cmdb-relation-ci" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RelationsTable({ ciId }: { ciId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canManage = can('cmdb.ci.manage');
  const relations = useCiRelations(ciId);
  const remove = useDeleteCiRelation();
  const [adding, setAdding] = useState(false);
  const columns: TableColumnsType<CiRelationView> = [
    {
      title: t('cmdb.rel.direction'),
      key: 'label',
      render: (_v, r) => (
        <Tooltip title={r.otherDependsOnThis ? t('cmdb.rel.dependsHint') : undefined}>
          <Tag color={r.direction === 'outgoing' ? 'blue' : 'purple'}>{r.label}</Tag>
        </Tooltip>
      ),
    },
    {
      title: t('cmdb.rel.other'),
      key: 'other',
      render: (_v, r) => (
        <Flex wrap gap={4} align="center">
          <Link to={`/cmdb/cis/${r.other.id}`} data-testid={`cmdb-relation-other-${r.other.id}`}>
            {r.other.name}
          </Link>
          <Tag>{r.other.className}</Tag>
          <CiStatusTag status={r.other.status} />
        </Flex>
      ),
    },
    { title: t('cmdb.rel.type'), key: 'type', render: (_v, r) => `${r.typeName} (${r.typeKey})` },
  ];
  if (canManage) {
    columns.push({
      title: '',
      key: 'actions',
      width: 60,
      render: (_v, r) => (
        <Popconfirm
          title={t('cmdb.rel.deleteConfirm')}
          okText={t('cmdb.rel.delete')}
          cancelText={t('common.cancel')}
          okButtonProps={testId(`cmdb-relation-delete-ok-${r.id}`, { danger: true })}
          onConfirm={() => remove.mutateAsync(r.id).then(() => notifySuccess(t('cmdb.rel.deleted')))}
        >
          <Button size="small" danger type="text" icon={<DeleteOutlined />} aria-label={t('cmdb.rel.delete')} data-testid={`cmdb-relation-delete-${r.id}`} />
        </Popconfirm>
      ),
    });
  }
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('cmdb.rel.relationsTitle')}</Typography.Text>
        {canManage && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="cmdb-relation-add">
            {t('cmdb.rel.add')}
          </Button>
        )}
      </Flex>
      <Table<CiRelationView>
        rowKey="id"
        size="small"
        loading={relations.isPending}
        columns={columns}
        dataSource={relations.data ?? []}
        pagination={(relations.data?.length ?? 0) > 20 ? { pageSize: 20, size: 'small' } : false}
        locale={{ emptyText: t('cmdb.rel.empty') }}
        onRow={(r) => testId(`cmdb-relation-row-${r.id}`, {})}
        data-testid="cmdb-relations-table"
        scroll={{ x: 'max-content' }}
      />
      {adding && <AddRelationModal ciId={ciId} onClose={() => setAdding(false)} />}
    </>
  );
}

function ImpactList({ result }: { result: ImpactResult }) {
  const { t } = useTranslation();
  const levels = useMemo(() => {
    const byDepth = new Map<number, ImpactNode[]>();
    for (const n of result.nodes) {
      const list = byDepth.get(n.depth) ?? [];
      list.push(n);
      byDepth.set(n.depth, list);
    }
    return [...byDepth.entries()].sort((a, b) => a[0] - b[0]);
  }, [result]);
  return (
    <Flex vertical gap={12} data-testid="cmdb-impact-list">
      {levels.map(([depth, nodes]) => (
        <div key={depth} data-testid={`cmdb-impact-level-${depth}`}>
          <Typography.Text strong>{depth === 0 ? t('cmdb.impact.root') : t('cmdb.impact.depthN', { depth })}</Typography.Text>
          <List<ImpactNode>
            size="small"
            dataSource={nodes}
            renderItem={(n) => (
              <List.Item key={n.id} data-testid={`cmdb-impact-node-${n.id}`}>
                <Flex wrap gap={4} align="center">
                  <Link to={`/cmdb/cis/${n.id}`}>{n.name}</Link>
                  <Tag>{n.className}</Tag>
                  <ImportanceTag importance={n.importance} />
                  <CiStatusTag status={n.status} />
                </Flex>
              </List.Item>
            )}
          />
        </div>
      ))}
    </Flex>
  );
}

function ImpactSection({ ciId }: { ciId: number }) {
  const { t } = useTranslation();
  const [direction, setDirection] = useState<ImpactDirection>('downstream');
  const [depth, setDepth] = useState(5);
  const [view, setView] = useState<'graph' | 'list'>('graph');
  const impact = useCiImpact(ciId, direction, depth);
  const result = impact.data;
  return (
    <div data-testid="cmdb-impact">
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 8 }}>
        <Flex wrap gap={8} align="center">
          <Typography.Text strong>{t('cmdb.impact.title')}</Typography.Text>
          <Segmented<ImpactDirection>
            value={direction}
            onChange={setDirection}
            options={[
              { value: 'downstream', label: <Tooltip title={t('cmdb.impact.downstreamHint')}>{t('cmdb.impact.downstream')}</Tooltip> },
              { value: 'upstream', label: <Tooltip title={t('cmdb.impact.upstreamHint')}>{t('cmdb.impact.upstream')}</Tooltip> },
            ]}
            data-testid="cmdb-impact-direction"
          />
          <span>{t('cmdb.impact.depth')}</span>
          <Select<number>
            value={depth}
            onChange={setDepth}
            options={DEPTHS.map((d) => ({ value: d, label: String(d) }))}
            style={{ width: 72 }}
            aria-label={t('cmdb.impact.depth')}
            data-testid="cmdb-impact-depth"
          />
        </Flex>
        <Segmented<'graph' | 'list'>
          value={view}
          onChange={setView}
          options={[
            { value: 'graph', label: t('cmdb.impact.graphView') },
            { value: 'list', label: t('cmdb.impact.listView') },
          ]}
          data-testid="cmdb-impact-view"
        />
      </Flex>
      {result?.truncated && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('cmdb.impact.truncated', { count: result.nodes.length })} data-testid="cmdb-impact-truncated" />}
      {impact.error && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={errorText(impact.error)} />}
      {!result ? (
        impact.isPending && <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="cmdb-impact-count">
            {t('cmdb.impact.count', { nodes: result.nodes.length, edges: result.edges.length })}
          </Typography.Paragraph>
          {result.nodes.length <= 1 ? (
            <Empty description={t('cmdb.impact.empty')} data-testid="cmdb-impact-empty" />
          ) : view === 'graph' ? (
            <Suspense fallback={<Skeleton active />}>
              <ImpactGraph result={result} />
            </Suspense>
          ) : (
            <ImpactList result={result} />
          )}
        </>
      )}
    </div>
  );
}

/** The CI page's "relations and impact" card: direct relations (add, delete) and the impact graph or list. */
export function CiRelationsCard({ ciId }: { ciId: number }) {
  const { t } = useTranslation();
  return (
    <Card id="cmdb-relations-slot" title={t('cmdb.relations')} style={{ marginBottom: 16 }} data-testid="cmdb-relations-card">
      <Flex vertical gap={24}>
        <RelationsTable ciId={ciId} />
        <ImpactSection ciId={ciId} />
      </Flex>
    </Card>
  );
}
