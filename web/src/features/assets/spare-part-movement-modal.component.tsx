import { Alert, AutoComplete, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { MOVEMENT_KINDS, type SparePartDetail, type SparePartMovementKind, type SparePartMovementResult } from './asset-types';
import { useRecordMovement } from './use-assets.mutation';
import { useStockLocations } from './use-assets.query';

interface MovementForm {
  kind: SparePartMovementKind;
  quantity: number | null;
  fromLocation: string;
  toLocation: string;
  direction: 'gain' | 'loss';
  reason: string;
  ticketId: number | null;
}

/** Stock in / out / transfer / count adjustment; the fields shown follow the kind. */
export function SparePartMovementModal({ part, onClose, onDone }: { part: SparePartDetail; onClose: () => void; onDone: (r: SparePartMovementResult) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MovementForm>();
  const record = useRecordMovement(part.id);
  const locations = useStockLocations();
  const kind = Form.useWatch('kind', form) ?? 'in';
  const direction = Form.useWatch('direction', form) ?? 'gain';
  const usesFrom = kind === 'out' || kind === 'transfer' || (kind === 'adjust' && direction === 'loss');
  const usesTo = kind === 'in' || kind === 'transfer' || (kind === 'adjust' && direction === 'gain');
  // Taking stock: offer the locations that hold this part; putting: any known location.
  const fromOptions = part.stock.map((s) => ({ value: s.location, label: `${s.location}（${s.quantity} ${part.unit}）` }));
  const toOptions = (locations.data ?? []).map((l) => ({ value: l, label: l }));
  const locationRule = [{ required: true, whitespace: true, message: t('asset.spare.locationRequired') }];

  const submit = async () => {
    const v = await form.validateFields();
    const result = await record.mutateAsync({
      kind: v.kind,
      quantity: v.quantity ?? 0,
      fromLocation: usesFrom ? v.fromLocation.trim() : null,
      toLocation: usesTo ? v.toLocation.trim() : null,
      reason: v.reason.trim(),
      ticketId: v.ticketId ?? null,
    });
    onDone(result);
  };

  return (
    <Modal
      open
      title={t('asset.spare.movementTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={record.isPending}
      okButtonProps={testId('spare-movement-save', {})}
      destroyOnHidden
    >
      {record.error && <Alert type="error" showIcon title={errorText(record.error)} style={{ marginBottom: 16 }} data-testid="spare-movement-error" />}
      <Form<MovementForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'in', quantity: null, fromLocation: '', toLocation: '', direction: 'gain', reason: '', ticketId: null }}
        data-testid="spare-movement-form"
      >
        <Form.Item name="kind" label={t('asset.spare.kind')}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="spare-movement-kind">
            {MOVEMENT_KINDS.map((k) => (
              <Radio.Button key={k} value={k} data-testid={`spare-movement-kind-${k}`}>
                {t(`asset.spare.kinds.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {kind === 'adjust' && (
          <Form.Item name="direction" label={t('asset.spare.adjustDirection')}>
            <Select
              options={[
                { value: 'gain', label: t('asset.spare.adjustGain') },
                { value: 'loss', label: t('asset.spare.adjustLoss') },
              ]}
              data-testid="spare-movement-direction"
            />
          </Form.Item>
        )}
        <Form.Item name="quantity" label={`${t('asset.spare.quantity')}（${part.unit}）`} rules={[{ required: true, message: t('asset.spare.quantityRequired') }]}>
          <InputNumber min={1} max={1_000_000} precision={0} style={{ width: '100%' }} data-testid="spare-movement-quantity" />
        </Form.Item>
        {usesFrom && (
          <Form.Item name="fromLocation" label={t('asset.spare.fromLocation')} rules={locationRule}>
            <AutoComplete options={fromOptions} filterOption data-testid="spare-movement-from">
              <Input maxLength={100} data-testid="spare-movement-from-input" />
            </AutoComplete>
          </Form.Item>
        )}
        {usesTo && (
          <Form.Item name="toLocation" label={t('asset.spare.toLocation')} rules={locationRule}>
            <AutoComplete options={toOptions} filterOption data-testid="spare-movement-to">
              <Input maxLength={100} data-testid="spare-movement-to-input" />
            </AutoComplete>
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('asset.spare.reason')} rules={kind === 'adjust' ? [{ required: true, whitespace: true, message: t('asset.spare.reasonRequired') }] : []}>
          <Input maxLength={500} data-testid="spare-movement-reason" />
        </Form.Item>
        <Form.Item name="ticketId" label={t('asset.spare.ticketId')} extra={t('asset.ticketHint')}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="spare-movement-ticket" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
