import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { useCalendars } from '../calendars/use-calendars.query';
import { formatPct, hoursFromTargetPct, targetPctFromHours } from './service-format';
import type { Service } from './service-types';
import { useCreateService, useUpdateService } from './use-services.mutation';

type TargetMode = 'pct' | 'hours';

interface ServiceForm {
  name: string;
  description: string;
  orgId: number | null;
  calendarId: number | undefined;
  mode: TargetMode;
  targetPct: number | null;
  budgetHours: number | null;
}

interface ServiceFormModalProps {
  open: boolean;
  /** Absent: create a new service. */
  service?: Service;
  onClose: () => void;
  onSaved: (service: Service) => void;
}

function initialValues(service: Service | undefined): ServiceForm {
  if (!service) return { name: '', description: '', orgId: null, calendarId: undefined, mode: 'hours', targetPct: null, budgetHours: null };
  return {
    name: service.name,
    description: service.description,
    orgId: service.orgId,
    calendarId: service.calendarId,
    mode: service.budgetHoursPerYear === null ? 'pct' : 'hours',
    targetPct: service.budgetHoursPerYear === null ? service.targetPct : null,
    budgetHours: service.budgetHoursPerYear,
  };
}

/** Create or edit a service: the target as a percentage or as hours of downtime per year. */
export function ServiceFormModal({ open, service, onClose, onSaved }: ServiceFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ServiceForm>();
  const create = useCreateService();
  const update = useUpdateService(service?.id ?? 0);
  const mutation = service ? update : create;
  const calendars = useCalendars();
  const organizations = useOrganizations(open);
  const mode = Form.useWatch('mode', form) ?? 'hours';
  const targetPct = Form.useWatch('targetPct', form);
  const budgetHours = Form.useWatch('budgetHours', form);

  const submit = async () => {
    const v = await form.validateFields();
    const target = v.mode === 'pct' ? { targetPct: v.targetPct ?? undefined } : { budgetHoursPerYear: v.budgetHours ?? undefined };
    const common = { name: v.name.trim(), description: (v.description ?? '').trim(), orgId: v.orgId ?? null, ...target };
    const saved = service
      ? await update.mutateAsync({ version: service.version, ...common, calendarId: v.calendarId })
      : await create.mutateAsync({ ...common, calendarId: v.calendarId ?? 0 });
    onSaved(saved);
  };

  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };

  const conversion =
    mode === 'pct'
      ? typeof targetPct === 'number' && targetPct > 0 && targetPct < 100
        ? t('service.equalsHours', { hours: formatPct(hoursFromTargetPct(targetPct), 2) })
        : null
      : typeof budgetHours === 'number' && budgetHours > 0 && budgetHours < 8760
        ? t('service.equalsPct', { pct: formatPct(targetPctFromHours(budgetHours)) })
        : null;

  const error = mutation.error;
  return (
    <Modal
      open={open}
      title={service ? t('service.editTitle') : t('service.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      okButtonProps={testId('service-form-ok', {})}
      width={640}
      destroyOnHidden
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(error, 'VERSION_CONFLICT') ? t('service.versionConflict') : errorText(error)}
          style={{ marginBottom: 16 }}
          data-testid="service-form-error"
        />
      )}
      <Form<ServiceForm> form={form} layout="vertical" preserve={false} initialValues={initialValues(service)}>
        <Form.Item name="name" label={t('service.name')} rules={[{ required: true, whitespace: true, message: t('service.nameRequired') }]}>
          <Input maxLength={100} autoComplete="off" data-testid="service-name" />
        </Form.Item>
        <Form.Item name="description" label={t('service.description')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="service-description" />
        </Form.Item>
        <Form.Item name="calendarId" label={t('service.calendar')} extra={t('service.calendarHint')} rules={[{ required: true, message: t('service.calendarRequired') }]}>
          <Select
            loading={calendars.isPending}
            options={(calendars.data ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.timeZone}` }))}
            data-testid="service-calendar"
            aria-label={t('service.calendar')}
          />
        </Form.Item>
        <Form.Item name="orgId" label={t('service.org')} extra={t('service.orgHint')}>
          <Select
            loading={organizations.isPending}
            options={[{ value: null, label: t('service.orgNone') }, ...(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))]}
            data-testid="service-org"
            aria-label={t('service.org')}
          />
        </Form.Item>
        <Form.Item name="mode" label={t('service.targetMode')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'hours', label: <span data-testid="service-mode-hours">{t('service.modeHours')}</span> },
              { value: 'pct', label: <span data-testid="service-mode-pct">{t('service.modePct')}</span> },
            ]}
          />
        </Form.Item>
        {mode === 'pct' ? (
          <Form.Item
            name="targetPct"
            label={t('service.targetPct')}
            rules={[
              { required: true, message: t('service.targetRequired') },
              { validator: (_r, v: number | null) => (v === null || v === undefined || (v > 0 && v < 100) ? Promise.resolve() : Promise.reject(new Error(t('service.targetPctRange')))) },
            ]}
          >
            <InputNumber min={0} max={100} step={0.01} style={{ width: '100%' }} data-testid="service-target-pct" />
          </Form.Item>
        ) : (
          <Form.Item
            name="budgetHours"
            label={t('service.budgetHours')}
            rules={[
              { required: true, message: t('service.targetRequired') },
              { validator: (_r, v: number | null) => (v === null || v === undefined || (v > 0 && v < 8760) ? Promise.resolve() : Promise.reject(new Error(t('service.budgetRange')))) },
            ]}
          >
            <InputNumber min={0} max={8760} step={1} style={{ width: '100%' }} data-testid="service-budget-hours" />
          </Form.Item>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }} data-testid="service-target-conversion">
          {conversion && <span style={{ display: 'block' }}>{conversion}</span>}
          {t('service.conversionNote')}
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}
