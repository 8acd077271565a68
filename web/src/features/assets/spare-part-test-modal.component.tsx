import dayjs, { type Dayjs } from 'dayjs';
import { Alert, DatePicker, Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useRecordTest } from './use-assets.mutation';

interface TestForm {
  testedAt: string | null;
  result: 'pass' | 'fail';
  note: string;
  nextDue: string | null;
}

const dateProps = {
  getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/** One periodic test (定期测试) of a spare part, with the date the next one is due. */
export function SparePartTestModal({ partId, onClose, onDone }: { partId: number; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TestForm>();
  const record = useRecordTest(partId);
  const submit = async () => {
    const v = await form.validateFields();
    await record.mutateAsync({ testedAt: v.testedAt ?? '', result: v.result, note: v.note.trim(), nextDue: v.nextDue ?? null });
    onDone();
  };
  return (
    <Modal
      open
      title={t('asset.spare.testTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={record.isPending}
      okButtonProps={testId('spare-test-save', {})}
      destroyOnHidden
    >
      {record.error && <Alert type="error" showIcon title={errorText(record.error)} style={{ marginBottom: 16 }} data-testid="spare-test-error" />}
      <Form<TestForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ testedAt: dayjs().format('YYYY-MM-DD'), result: 'pass', note: '', nextDue: dayjs().add(6, 'month').format('YYYY-MM-DD') }}
        data-testid="spare-test-form"
      >
        <Form.Item name="testedAt" label={t('asset.spare.testedAt')} rules={[{ required: true, message: t('asset.spare.testedAtRequired') }]} {...dateProps}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="spare-test-date" />
        </Form.Item>
        <Form.Item name="result" label={t('asset.spare.result')}>
          <Radio.Group data-testid="spare-test-result">
            <Radio value="pass">{t('asset.spare.results.pass')}</Radio>
            <Radio value="fail">{t('asset.spare.results.fail')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="nextDue" label={t('asset.spare.nextDue')} {...dateProps}>
          <DatePicker style={{ width: '100%' }} data-testid="spare-test-next-due" />
        </Form.Item>
        <Form.Item name="note" label={t('asset.spare.testNote')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="spare-test-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
