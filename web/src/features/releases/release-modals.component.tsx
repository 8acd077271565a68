import { AutoComplete, Alert, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Release, ReleaseDeployment } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { MarkdownEditor } from '../../shared/markdown-editor.component';
import { testId } from '../../shared/test-id';
import { ChangeSelect } from './change-select.component';
import { useAddRecord, useLinkChanges, useSaveDeployment, useUpdateRelease } from './use-releases.mutation';

/** Suggested environment names; any other name is accepted. `prod` is what the on-time rate looks at. */
export const ENVIRONMENT_SUGGESTIONS = ['dev', 'test', 'staging', 'prod'];

const iso = (d: Dayjs | null | undefined) => (d ? d.toISOString() : null);
const day = (s: string | null) => (s ? dayjs(s) : null);

interface EditForm {
  versionLabel: string;
  plannedReleaseAt?: Dayjs | null;
  releasePlan?: string;
  rollbackPlan: string;
  rollbackOutcome?: string;
}

export function ReleaseEditModal({ release, onClose, focusOutcome = false }: { release: Release; onClose: () => void; focusOutcome?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditForm>();
  const update = useUpdateRelease(release.ticket.id);
  const d = release.details;
  const submit = async () => {
    const v = await form.validateFields();
    await update.mutateAsync({
      version: d.version,
      versionLabel: v.versionLabel.trim(),
      plannedReleaseAt: iso(v.plannedReleaseAt),
      // The outcome-only form has no plan fields: leave the plans as they are.
      ...(focusOutcome ? {} : { releasePlan: v.releasePlan ?? '', rollbackPlan: v.rollbackPlan }),
      rollbackOutcome: v.rollbackOutcome?.trim() ? v.rollbackOutcome : null,
    });
    notifySuccess(t('release.saved'));
    onClose();
  };
  return (
    <Modal
      open
      width={760}
      title={t('release.editTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      okButtonProps={testId('release-edit-save', {})}
      destroyOnHidden
    >
      {update.error && <Alert type="error" showIcon title={errorText(update.error)} style={{ marginBottom: 16 }} data-testid="release-edit-error" />}
      <Form<EditForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ versionLabel: d.versionLabel, plannedReleaseAt: day(d.plannedReleaseAt), releasePlan: d.releasePlan, rollbackPlan: d.rollbackPlan, rollbackOutcome: d.rollbackOutcome ?? '' }}
      >
        <Form.Item name="versionLabel" label={t('release.field.versionLabel')} rules={[{ required: true, whitespace: true, message: t('release.form.versionRequired') }]}>
          <Input maxLength={64} data-testid="release-edit-version" />
        </Form.Item>
        <Form.Item name="plannedReleaseAt" label={t('release.field.plannedReleaseAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        {!focusOutcome && (
          <>
            <Form.Item name="releasePlan" label={t('release.field.releasePlan')}>
              <MarkdownEditor rows={5} maxLength={50000} />
            </Form.Item>
            <Form.Item name="rollbackPlan" label={t('release.field.rollbackPlan')} rules={[{ required: true, whitespace: true, message: t('release.form.rollbackRequired') }]}>
              <MarkdownEditor rows={4} maxLength={50000} testId="release-edit-rollback-plan" />
            </Form.Item>
          </>
        )}
        <Form.Item name="rollbackOutcome" label={t('release.field.rollbackOutcome')} extra={focusOutcome ? t('release.rollbackOutcomeHint') : undefined}>
          <Input.TextArea rows={4} maxLength={50000} data-testid="release-edit-rollback-outcome" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function LinkChangesModal({ release, onClose }: { release: Release; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ changeIds: number[] }>();
  const link = useLinkChanges(release.ticket.id);
  const submit = async () => {
    const v = await form.validateFields();
    await link.mutateAsync(v.changeIds);
    notifySuccess(t('release.changes.linked', { count: v.changeIds.length }));
    onClose();
  };
  return (
    <Modal
      open
      title={t('release.changes.addTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={link.isPending}
      okButtonProps={testId('release-link-save', {})}
      destroyOnHidden
    >
      {link.error && <Alert type="error" showIcon title={errorText(link.error)} style={{ marginBottom: 16 }} data-testid="release-link-error" />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="changeIds" label={t('release.form.changes')} rules={[{ required: true, message: t('release.changes.select') }]}>
          <ChangeSelect orgId={release.ticket.orgId} exclude={release.changes.map((c) => c.changeId)} testId="release-link-changes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface RecordForm {
  kind: 'build' | 'test';
  name: string;
  result: 'pass' | 'fail';
  link?: string;
  notes?: string;
}

export function RecordModal({ releaseId, onClose }: { releaseId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RecordForm>();
  const add = useAddRecord(releaseId);
  const submit = async () => {
    const v = await form.validateFields();
    await add.mutateAsync({ kind: v.kind, name: v.name.trim(), result: v.result, link: v.link?.trim() ? v.link.trim() : null, notes: v.notes ?? '' });
    notifySuccess(t('release.records.added'));
    onClose();
  };
  return (
    <Modal
      open
      title={t('release.records.addTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      okButtonProps={testId('release-record-save', {})}
      destroyOnHidden
    >
      {add.error && <Alert type="error" showIcon title={errorText(add.error)} style={{ marginBottom: 16 }} />}
      <Form<RecordForm> form={form} layout="vertical" preserve={false} initialValues={{ kind: 'build', result: 'pass' }}>
        <Form.Item name="kind" label={t('release.records.kind')}>
          <Select options={(['build', 'test'] as const).map((k) => ({ value: k, label: t(`release.records.kindValues.${k}`) }))} data-testid="release-record-kind" />
        </Form.Item>
        <Form.Item name="name" label={t('release.records.name')} rules={[{ required: true, whitespace: true, message: t('release.records.nameRequired') }]}>
          <Input maxLength={200} data-testid="release-record-name" />
        </Form.Item>
        <Form.Item name="result" label={t('release.records.result')}>
          <Select options={(['pass', 'fail'] as const).map((k) => ({ value: k, label: t(`release.records.resultValues.${k}`) }))} data-testid="release-record-result" />
        </Form.Item>
        <Form.Item name="link" label={t('release.records.link')} rules={[{ type: 'url', message: t('release.records.linkInvalid') }, { pattern: /^https?:\/\//i, message: t('release.records.linkInvalid') }]}>
          <Input maxLength={1000} placeholder="https://" />
        </Form.Item>
        <Form.Item name="notes" label={t('release.records.notes')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface DeploymentForm {
  environment: string;
  plannedAt?: Dayjs | null;
  startedAt?: Dayjs | null;
  finishedAt?: Dayjs | null;
  result?: ReleaseDeployment['result'];
  notes?: string;
}

/** Adds a deployment, or updates one (`deployment` given). The server refuses a result or finish without a start. */
export function DeploymentModal({ releaseId, deployment, onClose }: { releaseId: number; deployment?: ReleaseDeployment; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<DeploymentForm>();
  const save = useSaveDeployment(releaseId);
  const submit = async () => {
    const v = await form.validateFields();
    const fields = {
      environment: v.environment.trim(),
      plannedAt: iso(v.plannedAt),
      startedAt: iso(v.startedAt),
      finishedAt: iso(v.finishedAt),
      result: v.result ?? null,
      notes: v.notes ?? '',
    };
    await save.mutateAsync(deployment ? { deploymentId: deployment.id, request: { version: deployment.version, ...fields } } : { request: fields });
    notifySuccess(t('release.deployments.saved'));
    onClose();
  };
  const needsStart = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async () => {
      if ((getFieldValue('result') || getFieldValue('finishedAt')) && !getFieldValue('startedAt')) throw new Error(t('release.deployments.startNeeded'));
    },
  });
  const afterStart = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_r: unknown, value: Dayjs | null | undefined) => {
      const start = getFieldValue('startedAt') as Dayjs | null | undefined;
      if (value && start && value.isBefore(start)) throw new Error(t('release.deployments.finishBeforeStart'));
    },
  });
  return (
    <Modal
      open
      title={deployment ? t('release.deployments.editTitle') : t('release.deployments.addTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('release-deployment-save', {})}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 16 }} data-testid="release-deployment-error" />}
      <Form<DeploymentForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          deployment
            ? {
                environment: deployment.environment,
                plannedAt: day(deployment.plannedAt),
                startedAt: day(deployment.startedAt),
                finishedAt: day(deployment.finishedAt),
                result: deployment.result,
                notes: deployment.notes,
              }
            : { environment: 'prod' }
        }
      >
        <Form.Item name="environment" label={t('release.deployments.environment')} extra={t('release.deployments.environmentHint')} rules={[{ required: true, whitespace: true, message: t('release.deployments.environmentRequired') }]}>
          <AutoComplete options={ENVIRONMENT_SUGGESTIONS.map((e) => ({ value: e }))} maxLength={64} data-testid="release-deployment-environment" />
        </Form.Item>
        <Form.Item name="plannedAt" label={t('release.deployments.plannedAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name="startedAt" label={t('release.deployments.startedAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="release-deployment-started" />
        </Form.Item>
        <Form.Item name="finishedAt" label={t('release.deployments.finishedAt')} dependencies={['startedAt']} rules={[afterStart]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name="result" label={t('release.deployments.result')} dependencies={['startedAt', 'finishedAt']} rules={[needsStart]}>
          <Select
            allowClear
            placeholder={t('release.deployments.noResult')}
            options={(['success', 'failed', 'rolled_back'] as const).map((k) => ({ value: k, label: t(`release.deployments.resultValues.${k}`) }))}
            data-testid="release-deployment-result"
          />
        </Form.Item>
        <Form.Item name="notes" label={t('release.deployments.notes')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
