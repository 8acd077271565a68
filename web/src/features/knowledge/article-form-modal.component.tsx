import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { KnowledgeArticle, KnowledgeState } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { MarkdownEditor } from '../../shared/markdown-editor.component';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { useSaveArticle } from './use-knowledge.query';

interface FormValues {
  title: string;
  body: string;
  state: KnowledgeState;
  orgId: number | null;
}

const ALL = 0;

/** Creates or edits an article (title, markdown body, state, audience). */
export function ArticleFormModal({ article, onClose, onSaved }: { article?: KnowledgeArticle; onClose: () => void; onSaved: (a: KnowledgeArticle) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues & { org: number }>();
  const save = useSaveArticle();
  const orgs = useOrganizations();
  const states: KnowledgeState[] = article ? ['draft', 'published', 'retired'] : ['draft', 'published'];
  const submit = async () => {
    const v = await form.validateFields();
    const orgId = v.org === ALL ? null : v.org;
    const a = article
      ? await save.mutateAsync({ id: article.id, request: { version: article.version, title: v.title.trim(), body: v.body ?? '', state: v.state, orgId } })
      : await save.mutateAsync({ request: { title: v.title.trim(), body: v.body ?? '', state: v.state === 'retired' ? 'draft' : v.state, orgId } });
    onSaved(a);
  };
  return (
    <Modal
      open
      title={article ? t('knowledge.editTitle') : t('knowledge.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('kb-save', {})}
      width={800}
      destroyOnHidden
    >
      {save.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('knowledge.conflict') : errorText(save.error)}
          data-testid="kb-form-error"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        data-testid="kb-form"
        initialValues={{ title: article?.title ?? '', body: article?.body ?? '', state: article?.state ?? 'draft', org: article?.orgId ?? ALL }}
      >
        <Form.Item name="title" label={t('knowledge.field.title')} rules={[{ required: true, whitespace: true, message: t('knowledge.titleRequired') }]}>
          <Input maxLength={200} data-testid="kb-title" />
        </Form.Item>
        <Form.Item name="body" label={t('knowledge.field.body')}>
          <MarkdownEditor rows={10} maxLength={50000} testId="kb-body" />
        </Form.Item>
        <Form.Item name="state" label={t('knowledge.field.state')}>
          <Select options={states.map((s) => ({ value: s, label: t(`knowledge.state.${s}`) }))} data-testid="kb-state" />
        </Form.Item>
        <Form.Item name="org" label={t('knowledge.field.org')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={[{ value: ALL, label: t('knowledge.allOrgs') }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))]}
            data-testid="kb-org"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
