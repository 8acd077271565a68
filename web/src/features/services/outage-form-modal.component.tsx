import { Alert, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { isoToPicker, nowInZone, PICKER_FORMAT, pickerToIso } from './service-time';
import type { Outage, OutageImpact, ServiceSummary } from './service-types';
import { useSaveOutage } from './use-services.mutation';

interface OutageForm {
  serviceId: number | undefined;
  startedAt: Dayjs | null;
  endedAt: Dayjs | null;
  impact: OutageImpact;
  weight: number | null;
  note: string;
}

export interface OutageFormModalProps {
  open: boolean;
  onClose: () => void;
  onSaved: (outage: Outage) => void;
  /** Editing: the outage (its service is fixed). */
  outage?: Outage;
  /** Creating on a service page: the service. */
  serviceId?: number;
  /** Creating from an incident: the services to pick from, and the incident linked. */
  services?: readonly ServiceSummary[];
  ticketId?: number;
  /** Creating from an incident: the service preselected (the one named on the incident). */
  defaultServiceId?: number;
  /** Zone of the pickers when the service is fixed (its calendar's zone). */
  timeZone: string;
}

const DEFAULT_ZONE = 'Asia/Shanghai';

/** Record or edit an outage: start, end (empty = ongoing), full or partial with a weight, note. */
export function OutageFormModal({ open, onClose, onSaved, outage, serviceId, services, ticketId, defaultServiceId, timeZone }: OutageFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OutageForm>();
  const save = useSaveOutage();
  const impact = Form.useWatch('impact', form) ?? outage?.impact ?? 'full';
  const pickedService = Form.useWatch('serviceId', form);
  const picking = !outage && serviceId === undefined;
  // The pickers read wall clocks in the service calendar's zone.
  const zone = picking ? (services?.find((s) => s.id === pickedService)?.timeZone ?? DEFAULT_ZONE) : timeZone;

  const initial: OutageForm = outage
    ? {
        serviceId: outage.serviceId,
        startedAt: isoToPicker(outage.startedAt, timeZone),
        endedAt: outage.endedAt ? isoToPicker(outage.endedAt, timeZone) : null,
        impact: outage.impact,
        weight: outage.impact === 'partial' ? outage.weight : null,
        note: outage.note,
      }
    : { serviceId: serviceId ?? defaultServiceId, startedAt: nowInZone(timeZone), endedAt: null, impact: 'full', weight: null, note: '' };

  const submit = async () => {
    const v = await form.validateFields();
    if (!v.startedAt) return;
    const startedAt = pickerToIso(v.startedAt, zone);
    const endedAt = v.endedAt ? pickerToIso(v.endedAt, zone) : null;
    const weight = v.impact === 'partial' ? (v.weight ?? undefined) : undefined;
    const saved = outage
      ? await save.mutateAsync({ serviceId: outage.serviceId, id: outage.id, request: { version: outage.version, startedAt, endedAt, impact: v.impact, weight, note: v.note.trim() } })
      : await save.mutateAsync({
          serviceId: v.serviceId ?? serviceId ?? 0,
          request: { startedAt, endedAt, impact: v.impact, weight, note: v.note.trim(), ...(ticketId ? { ticketId } : {}) },
        });
    onSaved(saved);
  };

  const close = () => {
    save.reset();
    onClose();
  };

  const endAfterStart = (_rule: unknown, value: Dayjs | null) => {
    const start = form.getFieldValue('startedAt') as Dayjs | null;
    if (!value || !start || value.isAfter(start)) return Promise.resolve();
    return Promise.reject(new Error(t('service.outages.endBeforeStart')));
  };

  return (
    <Modal
      open={open}
      title={outage ? t('service.outages.editTitle') : t('service.outages.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('outage-form-ok', {})}
      width={600}
      destroyOnHidden
    >
      {save.error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('service.versionConflict') : errorText(save.error)}
          style={{ marginBottom: 16 }}
          data-testid="outage-form-error"
        />
      )}
      <Typography.Paragraph type="secondary">{t('service.zoneNote', { timeZone: zone })}</Typography.Paragraph>
      <Form<OutageForm> form={form} layout="vertical" preserve={false} initialValues={initial}>
        {picking && (
          <Form.Item name="serviceId" label={t('service.incident.service')} rules={[{ required: true, message: t('service.incident.serviceRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={(services ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name }))}
              notFoundContent={t('service.incident.noServices')}
              data-testid="outage-service"
              aria-label={t('service.incident.service')}
            />
          </Form.Item>
        )}
        <Form.Item name="startedAt" label={t('service.outages.startedAt')} rules={[{ required: true, message: t('service.outages.startRequired') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} style={{ width: '100%' }} data-testid="outage-start" />
        </Form.Item>
        <Form.Item name="endedAt" label={t('service.outages.endedAt')} extra={t('service.outages.endedHint')} dependencies={['startedAt']} rules={[{ validator: endAfterStart }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} style={{ width: '100%' }} allowClear data-testid="outage-end" />
        </Form.Item>
        <Form.Item name="impact" label={t('service.outages.impact')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'full', label: <span data-testid="outage-impact-full">{t('service.outages.full')}</span> },
              { value: 'partial', label: <span data-testid="outage-impact-partial">{t('service.outages.partial')}</span> },
            ]}
          />
        </Form.Item>
        {impact === 'partial' && (
          <Form.Item name="weight" label={t('service.outages.weight')} extra={t('service.outages.weightHint')} rules={[{ required: true, message: t('service.outages.weightRequired') }]}>
            <InputNumber min={0.01} max={1} step={0.05} style={{ width: '100%' }} data-testid="outage-weight" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('service.outages.note')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="outage-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
