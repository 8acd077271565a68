import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Flex, Form, Input, Result, Select, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FormFieldError } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { newIdempotencyKey } from '../../shared/idempotency-key';
import { PageHeader } from '../../shared/page-header.component';
import { useOrganizations } from '../../shared/use-directory.query';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { localized } from '../workflows/workflow-labels';
import { initialValues, submittableValues, type FieldErrors, type FormValues } from './form-values';
import { RequestFormRenderer } from './request-form-renderer.component';
import { RequestIcon } from './request-icon.component';
import { useCatalogueEntry, useSubmitRequest } from './use-requests.query';

/** Fills in and submits one request type's form (the version the server handed out). */
export function RequestNewPage() {
  const { key = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { me, can } = useAuth();
  // Staff (who see organisations) may file a request for a customer and name its requester.
  const staff = me?.orgKind === 'provider' && can('org.read');
  const orgs = useOrganizations(staff);
  const [orgId, setOrgId] = useState<number | undefined>();
  const [requesterId, setRequesterId] = useState<number | null>(null);
  const entry = useCatalogueEntry(key, orgId);
  const idempotencyKey = useMemo(() => newIdempotencyKey(), []);
  const submit = useSubmitRequest(idempotencyKey);
  const [values, setValues] = useState<FormValues | null>(null);
  const [title, setTitle] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [stale, setStale] = useState(false);

  const onBehalf = staff && (
    <Form layout="vertical" component="div" style={{ maxWidth: 760 }}>
      <Flex gap={12} wrap>
        <Form.Item label={t('request.onBehalfOrg')} style={{ minWidth: 260 }}>
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('request.ownOrg')}
            value={orgId}
            onChange={(v) => {
              setOrgId(v ?? undefined);
              setRequesterId(null);
              setErrors({});
            }}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            data-testid="request-org"
          />
        </Form.Item>
        {orgId !== undefined && orgId !== me?.orgId && (
          <Form.Item label={t('request.list.requester')} style={{ minWidth: 260 }}>
            <UserLookupSelect value={requesterId} onChange={setRequesterId} orgId={orgId} testId="request-requester" />
          </Form.Item>
        )}
      </Flex>
    </Form>
  );

  if (entry.isLoading) return <Skeleton active />;
  if (entry.isError || !entry.data) {
    return (
      <>
        {onBehalf}
        <Result status="404" title={t('request.notAvailable')} subTitle={entry.error ? errorText(entry.error) : undefined} />
      </>
    );
  }
  const { type, form } = entry.data;
  const current = values ?? initialValues(form.schema.fields);

  const onSubmit = async () => {
    setErrors({});
    setFailure(null);
    try {
      const created = await submit.mutateAsync({
        typeKey: type.key,
        formVersion: form.version,
        values: submittableValues(form.schema.fields, current),
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(orgId !== undefined ? { orgId } : {}),
        ...(requesterId !== null ? { requesterId } : {}),
      });
      notifySuccess(t('request.submitted', { number: created.ticket.number }));
      void navigate(`/requests/${created.ticket.id}`);
    } catch (err) {
      if (isApiError(err, 'REQUEST_FORM_INVALID')) {
        const fields = ((err.details as { fields?: FormFieldError[] } | undefined)?.fields ?? []).filter((f) => f.code !== 'unknown_field');
        setErrors(Object.fromEntries(fields.map((f) => [f.key, f.code])));
        setFailure(t('request.fixErrors'));
      } else if (isApiError(err, 'REQUEST_FORM_VERSION_MISMATCH')) {
        setStale(true);
      } else {
        setFailure(errorText(err));
      }
    }
  };

  const reload = async () => {
    setStale(false);
    setErrors({});
    await entry.refetch();
  };

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center">
            <RequestIcon name={type.icon} />
            {localized(type.name, i18n.language)}
          </Flex>
        }
        testId="page-title"
      />
      {onBehalf}
      <Card style={{ maxWidth: 760 }}>
        {localized(type.description, i18n.language) && <Typography.Paragraph type="secondary">{localized(type.description, i18n.language)}</Typography.Paragraph>}
        {stale && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('request.formChanged')}
            action={
              <Button size="small" onClick={() => void reload()} data-testid="request-form-reload">
                {t('request.reloadForm')}
              </Button>
            }
            data-testid="request-form-stale"
          />
        )}
        {failure && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure} data-testid="request-submit-error" />}
        <Form layout="vertical" component="div">
          <Form.Item label={t('request.titleOptional')}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} placeholder={t('request.titlePlaceholder')} data-testid="request-title" />
          </Form.Item>
        </Form>
        <RequestFormRenderer fields={form.schema.fields} values={current} onChange={setValues} errors={errors} orgId={orgId ?? me?.orgId} disabled={submit.isPending} />
        <Flex gap={8} justify="flex-end">
          <Button onClick={() => void navigate('/requests/catalogue')}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submit.isPending} onClick={() => void onSubmit()} data-testid="request-submit">
            {t('request.submit')}
          </Button>
        </Flex>
      </Card>
    </>
  );
}
