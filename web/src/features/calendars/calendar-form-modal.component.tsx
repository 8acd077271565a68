import { Alert, Checkbox, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Calendar } from '@tianshu/contracts';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { DEFAULT_TIME_ZONE, type Weekly, isValidWeekly, workdaysWeekly } from './calendar-time';
import { TimeZoneSelect } from './time-zone-select.component';
import { useCreateCalendar } from './use-calendars.mutation';
import { WeeklyPeriodsEditor } from './weekly-periods-editor.component';

interface CalendarForm {
  name: string;
  timeZone: string;
  weekly: Weekly;
  withStatutoryDays: boolean;
}

interface CalendarFormModalProps {
  open: boolean;
  onClose: () => void;
  onCreated: (calendar: Calendar) => void;
}

export function CalendarFormModal({ open, onClose, onCreated }: CalendarFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CalendarForm>();
  const create = useCreateCalendar();

  const submit = async () => {
    const values = await form.validateFields();
    const calendar = await create.mutateAsync({
      name: values.name.trim(),
      timeZone: values.timeZone,
      weekly: values.weekly,
      withStatutoryDays: values.withStatutoryDays,
    });
    onCreated(calendar);
  };

  const close = () => {
    create.reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('calendar.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={testId('calendar-create-ok', {})}
      width={720}
      destroyOnHidden
    >
      {create.error && (
        <Alert type="error" showIcon title={errorText(create.error)} style={{ marginBottom: 16 }} data-testid="calendar-create-error" />
      )}
      <Form<CalendarForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: '', timeZone: DEFAULT_TIME_ZONE, weekly: workdaysWeekly(), withStatutoryDays: true }}
      >
        <Form.Item name="name" label={t('calendar.name')} rules={[{ required: true, whitespace: true, message: t('calendar.nameRequired') }]}>
          <Input maxLength={100} autoComplete="off" data-testid="calendar-name" />
        </Form.Item>
        <Form.Item name="timeZone" label={t('calendar.timeZone')} rules={[{ required: true }]}>
          <TimeZoneSelect testId="calendar-timezone" ariaLabel={t('calendar.timeZone')} />
        </Form.Item>
        <Form.Item
          name="weekly"
          label={t('calendar.weekly.title')}
          rules={[{ validator: (_rule, value: Weekly) => (isValidWeekly(value) ? Promise.resolve() : Promise.reject(new Error(t('calendar.weekly.invalid')))) }]}
        >
          <WeeklyPeriodsEditor />
        </Form.Item>
        <Form.Item name="withStatutoryDays" valuePropName="checked">
          <Checkbox data-testid="calendar-statutory">{t('calendar.withStatutoryDays')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
