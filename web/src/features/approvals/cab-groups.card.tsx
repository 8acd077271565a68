import { useEffect } from 'react';
import { Button, Card, Form, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CabGroups } from '@tianshu/contracts';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { useGroups } from '../../shared/use-directory.query';
import { useSaveCabGroups } from './use-approvals.mutation';
import { useCabGroups } from './use-approvals.query';

const TYPES = ['normal', 'emergency', 'standard'] as const;

/** The change advisory board per change type (setting change.cab_groups): approvers of "CAB" steps. */
export function CabGroupsCard() {
  const { t } = useTranslation();
  const cab = useCabGroups();
  const groups = useGroups();
  const save = useSaveCabGroups();
  const [form] = Form.useForm<CabGroups>();
  useEffect(() => {
    if (cab.data) form.setFieldsValue(cab.data);
  }, [cab.data, form]);
  const options = (groups.data ?? []).map((g) => ({ value: g.id, label: g.name }));
  return (
    <Card title={t('approval.cab.title')} loading={cab.isLoading} data-testid="cab-groups-card" style={{ maxWidth: 640 }}>
      <Typography.Paragraph type="secondary">{t('approval.cab.help')}</Typography.Paragraph>
      <Form<CabGroups>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          save.mutate(
            { standard: v.standard ?? null, normal: v.normal ?? null, emergency: v.emergency ?? null },
            { onSuccess: () => notifySuccess(t('approval.cab.saved')) },
          )
        }
      >
        {TYPES.map((type) => (
          <Form.Item key={type} name={type} label={t(`approval.cab.${type}`)}>
            <Select<number | null> allowClear options={options} placeholder={t('approval.cab.none')} loading={groups.isLoading} data-testid={`cab-${type}`} />
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="cab-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

export function ApprovalSettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('approval.navCab')} testId="page-title" />
      <CabGroupsCard />
    </>
  );
}
