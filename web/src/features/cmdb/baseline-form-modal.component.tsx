import { useMemo, useState } from 'react';
import { Alert, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiBaseline } from '@tianshu/contracts';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useOrganizations } from '../../shared/use-directory.query';
import { buildClassTree, type ClassTreeNode } from './cmdb-presentation.component';
import { useCiClasses, useCis } from './use-cmdb.query';
import { useCreateBaseline } from './use-cmdb-quality.query';

interface BaselineForm {
  name: string;
  description: string;
  orgId: number | undefined;
  classKeys: string[];
  ciIds: number[];
}

type KeyNode = { value: string; title: string; children: KeyNode[] };
const byKey = (nodes: ClassTreeNode[]): KeyNode[] => nodes.map((n) => ({ value: n.cls.key, title: n.cls.name, children: byKey(n.children) }));

/** Name, organisation, and the selection: classes (subclasses included) and/or single CIs of that organisation. */
export function BaselineFormModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (b: CiBaseline) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<BaselineForm>();
  const organizations = useOrganizations();
  const classes = useCiClasses();
  const create = useCreateBaseline();
  const orgId = Form.useWatch('orgId', form);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const cis = useCis({ orgId, q: q || undefined, pageSize: 50 }, orgId !== undefined);
  const classTree = useMemo(() => byKey(buildClassTree(classes.data ?? [])), [classes.data]);

  const submit = async () => {
    const v = await form.validateFields();
    const saved = await create.mutateAsync({ name: v.name, description: v.description ?? '', orgId: v.orgId ?? 0, classKeys: v.classKeys ?? [], ciIds: v.ciIds ?? [] });
    onSaved(saved);
  };
  const close = () => {
    create.reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('cmdbQuality.baselines.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={testId('baseline-save', {})}
      width={680}
      destroyOnHidden
    >
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} style={{ marginBottom: 16 }} data-testid="baseline-form-error" />}
      <Form<BaselineForm> form={form} layout="vertical" preserve={false} initialValues={{ name: '', description: '', classKeys: [], ciIds: [] }} data-testid="baseline-form">
        <Form.Item name="name" label={t('cmdbQuality.baselines.name')} rules={[{ required: true, whitespace: true, message: t('cmdbQuality.baselines.nameRequired') }]}>
          <Input maxLength={120} data-testid="baseline-name" />
        </Form.Item>
        <Form.Item name="description" label={t('cmdbQuality.baselines.description')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="baseline-description" />
        </Form.Item>
        <Form.Item name="orgId" label={t('cmdbQuality.baselines.org')} rules={[{ required: true, message: t('cmdbQuality.baselines.orgRequired') }]}>
          <Select<number>
            showSearch={{ optionFilterProp: 'label' }}
            loading={organizations.isPending}
            options={(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            onChange={() => form.setFieldValue('ciIds', [])}
            data-testid="baseline-org"
            optionRender={(option) => <span data-testid={`baseline-org-option-${option.value}`}>{option.label}</span>}
          />
        </Form.Item>
        <Form.Item name="classKeys" label={t('cmdbQuality.baselines.classes')} extra={t('cmdbQuality.baselines.classesHint')}>
          <TreeSelect<string[]>
            multiple
            treeDefaultExpandAll
            treeData={classTree}
            showSearch={{ treeNodeFilterProp: 'title' }}
            loading={classes.isPending}
            data-testid="baseline-classes"
          />
        </Form.Item>
        <Form.Item
          name="ciIds"
          label={t('cmdbQuality.baselines.cis')}
          dependencies={['classKeys']}
          rules={[
            {
              validator: async (_r, value: number[] | undefined) => {
                const keys: string[] = form.getFieldValue('classKeys') ?? [];
                if (!value?.length && !keys.length) throw new Error(t('cmdbQuality.baselines.selectionRequired'));
              },
            },
          ]}
        >
          <Select<number[]>
            mode="multiple"
            disabled={orgId === undefined}
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={cis.isFetching}
            placeholder={t('cmdbQuality.baselines.cisPlaceholder')}
            options={(cis.data?.items ?? []).filter((c) => c.status !== 'retired').map((c) => ({ value: c.id, label: `${c.name} (${c.className})` }))}
            data-testid="baseline-cis"
            optionRender={(option) => <span data-testid={`baseline-cis-option-${option.value}`}>{option.label}</span>}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
