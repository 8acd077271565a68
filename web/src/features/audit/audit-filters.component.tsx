import { Button, DatePicker, Flex, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditQuery } from '@tianshu/contracts';
import { useIsMobile } from '../../shared/use-is-mobile';

type AuditFilterValues = Omit<AuditQuery, 'page' | 'pageSize'>;

interface AuditFilterForm {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: AuditEntry['result'];
}

const RESULTS: readonly AuditEntry['result'][] = ['success', 'denied', 'failed'];

function blank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function AuditFilters({ onSearch }: { onSearch: (filters: AuditFilterValues) => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<AuditFilterForm>();
  const width = isMobile ? '100%' : 170;

  const apply = (values: AuditFilterForm) =>
    onSearch({
      from: values.range?.[0]?.toISOString(),
      to: values.range?.[1]?.toISOString(),
      actor: blank(values.actor),
      action: blank(values.action),
      objectType: blank(values.objectType),
      objectId: blank(values.objectId),
      result: values.result,
    });

  return (
    <Form<AuditFilterForm> form={form} layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
      <Flex wrap gap={8} style={{ width: '100%' }}>
        <Form.Item name="range" noStyle>
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            placeholder={[t('common.from'), t('common.to')]}
            style={{ width: isMobile ? '100%' : 340 }}
            data-testid="audit-range"
          />
        </Form.Item>
        <Form.Item name="actor" noStyle>
          <Input allowClear placeholder={t('admin.audit.actorPlaceholder')} style={{ width }} data-testid="audit-actor" />
        </Form.Item>
        <Form.Item name="action" noStyle>
          <Input allowClear placeholder={t('admin.audit.actionPlaceholder')} style={{ width }} data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="objectType" noStyle>
          <Input allowClear placeholder={t('admin.audit.objectType')} style={{ width }} data-testid="audit-object-type" />
        </Form.Item>
        <Form.Item name="objectId" noStyle>
          <Input allowClear placeholder={t('admin.audit.objectId')} style={{ width }} data-testid="audit-object-id" />
        </Form.Item>
        <Form.Item name="result" noStyle>
          <Select
            allowClear
            placeholder={t('admin.audit.anyResult')}
            options={RESULTS.map((result) => ({ value: result, label: t(`auditResult.${result}`) }))}
            style={{ width }}
            data-testid="audit-result"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-search">
          {t('common.search')}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            apply({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Flex>
    </Form>
  );
}

export type { AuditFilterValues };
