import { useMemo, useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, Flex, Popconfirm, Row, Table, Tag, Tree, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { CiClassFormModal } from './ci-class-form-modal.component';
import { buildClassTree } from './cmdb-presentation.component';
import type { CiClass, CiEffectiveAttribute } from './cmdb-types';
import { useDeleteCiClass } from './use-cmdb.mutation';
import { useCiClasses } from './use-cmdb.query';

export function CiClassesPage() {
  const { t } = useTranslation();
  const classes = useCiClasses();
  const remove = useDeleteCiClass();
  const [selectedId, setSelectedId] = useState<number | undefined>();
  const [editing, setEditing] = useState<CiClass | 'new' | null>(null);
  const list = useMemo(() => classes.data ?? [], [classes.data]);
  const selected = list.find((c) => c.id === selectedId);

  const tree = useMemo(
    () =>
      buildClassTree(list, (c) => (
        <span data-testid={`cmdb-class-node-${c.key}`}>
          {c.name}
          {c.builtin && (
            <Tag style={{ marginInlineStart: 6 }} bordered={false}>
              {t('cmdb.classes.builtin')}
            </Tag>
          )}
        </span>
      )),
    [list, t],
  );

  const attrColumns: TableColumnsType<CiEffectiveAttribute> = [
    { title: t('cmdb.classes.attrKey'), dataIndex: 'key', key: 'key' },
    { title: t('cmdb.classes.attrLabel'), dataIndex: 'label', key: 'label' },
    { title: t('cmdb.classes.attrType'), key: 'type', render: (_v, a) => t(`cmdb.attrTypes.${a.type}`) },
    {
      title: '',
      key: 'flags',
      render: (_v, a) => (
        <Flex wrap gap={4}>
          {a.required && <Tag color="red">{t('cmdb.classes.required')}</Tag>}
          {a.unique && <Tag color="purple">{t('cmdb.classes.unique')}</Tag>}
          {a.indexed && <Tag>{t('cmdb.classes.indexed')}</Tag>}
          {a.enumValues && <Typography.Text type="secondary">{a.enumValues.join(' / ')}</Typography.Text>}
          {a.refClassKey && <Typography.Text type="secondary">→ {a.refClassKey}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('cmdb.classes.definedBy'), dataIndex: 'definedBy', key: 'definedBy' },
  ];

  return (
    <>
      <PageHeader
        title={t('cmdb.classes.title')}
        testId="page-title"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="cmdb-class-new">
            {t('cmdb.classes.create')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('cmdb.classes.intro')}</Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card size="small" loading={classes.isPending} style={{ marginBottom: 16 }}>
            <div data-testid="cmdb-class-tree">
              <Tree<(typeof tree)[number]> blockNode defaultExpandAll selectedKeys={selectedId ? [selectedId] : []} treeData={tree} onSelect={(keys) => setSelectedId(keys[0] === undefined ? undefined : Number(keys[0]))} />
            </div>
          </Card>
        </Col>
        <Col xs={24} md={16}>
          {!selected ? (
            <Card>
              <Empty description={t('cmdb.classes.pick')} />
            </Card>
          ) : (
            <Card
              data-testid="cmdb-class-detail"
              title={
                <Flex gap={8} align="center">
                  <span data-testid="cmdb-class-detail-name">{selected.name}</span>
                  <Tag>{selected.key}</Tag>
                  {selected.builtin && <Tag color="blue">{t('cmdb.classes.builtin')}</Tag>}
                </Flex>
              }
              extra={
                <Flex gap={8}>
                  <Button icon={<EditOutlined />} onClick={() => setEditing(selected)} data-testid="cmdb-class-edit">
                    {t('cmdb.classes.edit')}
                  </Button>
                  {!selected.builtin && (
                    <Popconfirm
                      title={t('cmdb.classes.deleteConfirm')}
                      okText={t('cmdb.classes.delete')}
                      cancelText={t('common.cancel')}
                      okButtonProps={testId('cmdb-class-delete-ok', { danger: true })}
                      onConfirm={() =>
                        remove.mutateAsync(selected.id).then(() => {
                          setSelectedId(undefined);
                          notifySuccess(t('cmdb.classes.deleted'));
                        })
                      }
                    >
                      <Button danger icon={<DeleteOutlined />} data-testid="cmdb-class-delete">
                        {t('cmdb.classes.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </Flex>
              }
            >
              <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
                <Descriptions.Item label={t('cmdb.classes.parent')}>{list.find((c) => c.id === selected.parentId)?.name ?? t('cmdb.classes.parentNone')}</Descriptions.Item>
                <Descriptions.Item label={t('cmdb.classes.effectiveNamingRule')}>
                  {selected.effectiveNamingRule ?? t('common.none')}
                  {selected.effectiveNamingRule && !selected.namingRule && selected.path.length > 0 && (
                    <Typography.Text type="secondary"> ({t('cmdb.classes.inherited', { key: selected.path[selected.path.length - 1] })})</Typography.Text>
                  )}
                </Descriptions.Item>
                {selected.description && <Descriptions.Item label={t('cmdb.classes.description')}>{selected.description}</Descriptions.Item>}
              </Descriptions>
              <Typography.Title level={5}>{t('cmdb.classes.effectiveAttributes')}</Typography.Title>
              <Table<CiEffectiveAttribute>
                rowKey="key"
                size="small"
                columns={attrColumns}
                dataSource={selected.effectiveAttributes}
                pagination={false}
                scroll={{ x: 'max-content' }}
                onRow={(a) => testId(`cmdb-class-attr-row-${a.key}`, {})}
              />
            </Card>
          )}
        </Col>
      </Row>
      {editing && (
        <CiClassFormModal
          cls={editing === 'new' ? undefined : editing}
          parentId={editing === 'new' ? (selectedId ?? null) : undefined}
          classes={list}
          onClose={() => setEditing(null)}
          onSaved={(c) => {
            notifySuccess(editing === 'new' ? t('cmdb.classes.created') : t('cmdb.classes.saved'));
            setEditing(null);
            setSelectedId(c.id);
          }}
        />
      )}
    </>
  );
}
