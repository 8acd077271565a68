import { useMemo } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Row, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { useGroups, useOrganizations } from '../../shared/use-directory.query';
import { CI_IMPORTANCES, CI_STATUSES, type Ci, type CiClass, type CiEffectiveAttribute, type CiImportance, type CiStatus } from './cmdb-types';
import { useCreateCi, useUpdateCi } from './use-cmdb.mutation';
import { useCiClasses, useCis } from './use-cmdb.query';

interface CiForm {
  classId: number | undefined;
  name: string;
  orgId: number | undefined;
  ownerUserId: number | null;
  ownerGroupId: number | null;
  location: string;
  importance: CiImportance;
  status: CiStatus;
  hostname: string;
  ip: string;
  serialNumber: string;
  assetTag: string;
  cloudId: string;
  changeTicketId: number | null;
  attr: Record<string, unknown>;
}

interface CiFormModalProps {
  open: boolean;
  /** Absent: create a new CI. */
  ci?: Ci;
  /** Preselected class when creating. */
  defaultClassId?: number;
  onClose: () => void;
  onSaved: (ci: Ci) => void;
}

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:]+(%\w+)?$/i;
export const isIpAddress = (v: string) => IPV4.test(v) || (v.includes(':') && IPV6.test(v));

const blankToNull = (v: string | undefined | null) => {
  const s = (v ?? '').trim();
  return s === '' ? null : s;
};
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function initialValues(ci: Ci | undefined, defaultClassId: number | undefined): CiForm {
  return {
    classId: ci?.classId ?? defaultClassId,
    name: ci?.name ?? '',
    orgId: ci?.orgId,
    ownerUserId: ci?.ownerUserId ?? null,
    ownerGroupId: ci?.ownerGroupId ?? null,
    location: ci?.location ?? '',
    importance: ci?.importance ?? 'normal',
    status: ci?.status ?? 'in_use',
    hostname: ci?.hostname ?? '',
    ip: ci?.ip ?? '',
    serialNumber: ci?.serialNumber ?? '',
    assetTag: ci?.assetTag ?? '',
    cloudId: ci?.cloudId ?? '',
    changeTicketId: null,
    attr: { ...(ci?.attributes ?? {}) },
  };
}

/** Select of CIs of the referenced class (and its subclasses). */
function ReferenceSelect({ attr, classes, value, onChange }: { attr: CiEffectiveAttribute; classes: readonly CiClass[]; value?: number | null; onChange?: (v: number | null) => void }) {
  const refClass = classes.find((c) => c.key === attr.refClassKey);
  const cis = useCis({ classId: refClass?.id, pageSize: 200 }, refClass !== undefined);
  const options = (cis.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (#${c.id})` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: `#${value}` });
  return (
    <Select<number | null>
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      loading={cis.isPending}
      options={options}
      data-testid={`cmdb-attr-${attr.key}`}
      aria-label={attr.label}
    />
  );
}

function AttributeInput({ attr, classes }: { attr: CiEffectiveAttribute; classes: readonly CiClass[] }) {
  const { t } = useTranslation();
  const id = `cmdb-attr-${attr.key}`;
  const rules = [
    ...(attr.required && attr.type !== 'boolean' ? [{ required: true, message: t('cmdb.fieldRequired', { label: attr.label }) }] : []),
    ...(attr.type === 'ip'
      ? [{ validator: (_r: unknown, v: unknown) => (isEmpty(v) || (typeof v === 'string' && isIpAddress(v.trim())) ? Promise.resolve() : Promise.reject(new Error(t('cmdb.ipInvalid')))) }]
      : []),
  ];
  const name = ['attr', attr.key];
  switch (attr.type) {
    case 'number':
      return (
        <Form.Item name={name} label={attr.label} rules={rules}>
          <InputNumber style={{ width: '100%' }} data-testid={id} />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item name={name} label={attr.label} valuePropName="checked">
          <Switch data-testid={id} />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item
          name={name}
          label={attr.label}
          rules={rules}
          getValueProps={(v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : null })}
          normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)}
        >
          <DatePicker style={{ width: '100%' }} data-testid={id} />
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item name={name} label={attr.label} rules={rules}>
          <Select
            allowClear
            options={(attr.enumValues ?? []).map((v) => ({ value: v, label: v }))}
            data-testid={id}
            aria-label={attr.label}
            optionRender={(option) => <span data-testid={`${id}-option-${String(option.value)}`}>{option.label}</span>}
          />
        </Form.Item>
      );
    case 'reference':
      return (
        <Form.Item name={name} label={attr.label} rules={rules}>
          <ReferenceSelect attr={attr} classes={classes} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item name={name} label={attr.label} rules={rules}>
          <Input maxLength={500} autoComplete="off" data-testid={id} />
        </Form.Item>
      );
  }
}

/** Create or edit a CI: the attribute fields come from the class's effective attribute schema. */
export function CiFormModal({ open, ci, defaultClassId, onClose, onSaved }: CiFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CiForm>();
  const create = useCreateCi();
  const update = useUpdateCi(ci?.id ?? 0);
  const mutation = ci ? update : create;
  const classes = useCiClasses(open);
  const organizations = useOrganizations(open);
  const groups = useGroups(open);
  const classId = Form.useWatch('classId', form) ?? ci?.classId ?? defaultClassId;
  const cls = classes.data?.find((c) => c.id === classId);
  const schema = useMemo(() => cls?.effectiveAttributes ?? [], [cls]);

  const classOptions = useMemo(() => {
    const list = [...(classes.data ?? [])].sort((a, b) => [...a.path, a.key].join('.').localeCompare([...b.path, b.key].join('.')));
    return list.map((c) => ({ value: c.id, label: `${'　'.repeat(c.path.length)}${c.name}` }));
  }, [classes.data]);

  const submit = async () => {
    const v = await form.validateFields();
    const attrIn = v.attr ?? {};
    const attributes: Record<string, unknown> = {};
    for (const a of schema) {
      const raw = attrIn[a.key];
      const value = typeof raw === 'string' ? raw.trim() : raw;
      if (isEmpty(value)) {
        if (ci && ci.attributes[a.key] !== undefined) attributes[a.key] = null;
      } else {
        attributes[a.key] = value;
      }
    }
    const common = {
      ownerUserId: v.ownerUserId ?? null,
      ownerGroupId: v.ownerGroupId ?? null,
      location: blankToNull(v.location),
      importance: v.importance,
      status: v.status,
      hostname: blankToNull(v.hostname),
      ip: blankToNull(v.ip),
      serialNumber: blankToNull(v.serialNumber),
      assetTag: blankToNull(v.assetTag),
      cloudId: blankToNull(v.cloudId),
      attributes,
    };
    const name = blankToNull(v.name);
    const saved = ci
      ? await update.mutateAsync({
          version: ci.version,
          ...common,
          ...(name ? { name } : {}),
          orgId: v.orgId,
          ...(v.changeTicketId ? { changeTicketId: v.changeTicketId } : {}),
        })
      : await create.mutateAsync({ ...common, classId: v.classId ?? 0, orgId: v.orgId ?? 0, ...(name ? { name } : {}) });
    onSaved(saved);
  };

  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };

  const rule = cls?.effectiveNamingRule ?? null;
  const error = mutation.error;
  return (
    <Modal
      open={open}
      title={ci ? t('cmdb.editTitle') : t('cmdb.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      okButtonProps={testId('cmdb-save', {})}
      width={760}
      destroyOnHidden
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(error, 'VERSION_CONFLICT') ? t('cmdb.versionConflict') : errorText(error)}
          style={{ marginBottom: 16 }}
          data-testid="cmdb-form-error"
        />
      )}
      <Form<CiForm> form={form} layout="vertical" preserve={false} initialValues={initialValues(ci, defaultClassId)} data-testid="cmdb-ci-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="classId" label={t('cmdb.class')} rules={[{ required: true, message: t('cmdb.classRequired') }]}>
              <Select
                disabled={Boolean(ci)}
                loading={classes.isPending}
                showSearch={{ optionFilterProp: 'label' }}
                options={classOptions}
                data-testid="cmdb-class"
                aria-label={t('cmdb.class')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t('cmdb.name')}
              extra={rule ? t('cmdb.nameHint', { rule }) : undefined}
              rules={[{ required: !rule && !ci, whitespace: true, message: t('cmdb.nameRequiredNoRule') }]}
            >
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="orgId" label={t('cmdb.org')} rules={[{ required: true, message: t('cmdb.orgRequired') }]}>
              <Select
                loading={organizations.isPending}
                showSearch={{ optionFilterProp: 'label' }}
                options={(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                data-testid="cmdb-org"
                aria-label={t('cmdb.org')}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="importance" label={t('cmdb.importance')}>
              <Select options={CI_IMPORTANCES.map((i) => ({ value: i, label: t(`cmdb.importanceValues.${i}`) }))} data-testid="cmdb-importance-select" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="status" label={t('cmdb.status')}>
              <Select options={CI_STATUSES.map((s) => ({ value: s, label: t(`cmdb.statusValues.${s}`) }))} data-testid="cmdb-status-select" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="ownerUserId" label={t('cmdb.ownerUser')}>
              <UserLookupSelect testId="cmdb-owner-user" currentLabel={ci?.ownerUserId ? `#${ci.ownerUserId}` : null} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="ownerGroupId" label={t('cmdb.ownerGroup')}>
              <Select
                allowClear
                loading={groups.isPending}
                showSearch={{ optionFilterProp: 'label' }}
                options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
                data-testid="cmdb-owner-group"
                aria-label={t('cmdb.ownerGroup')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="location" label={t('cmdb.location')}>
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-location" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cmdb.identifiers')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="hostname" label={t('cmdb.hostname')}>
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-hostname" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="ip"
              label={t('cmdb.ip')}
              rules={[{ validator: (_r, v: string | undefined) => (isEmpty(v) || isIpAddress((v ?? '').trim()) ? Promise.resolve() : Promise.reject(new Error(t('cmdb.ipInvalid')))) }]}
            >
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-ip" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="serialNumber" label={t('cmdb.serialNumber')}>
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-serial" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="assetTag" label={t('cmdb.assetTag')}>
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-asset-tag" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="cloudId" label={t('cmdb.cloudId')}>
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-cloud-id" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cmdb.attributes')}</Divider>
        {schema.length === 0 ? (
          <Typography.Paragraph type="secondary">{t('cmdb.noAttributes')}</Typography.Paragraph>
        ) : (
          <Row gutter={16}>
            {schema.map((a) => (
              <Col xs={24} md={12} key={a.key}>
                <AttributeInput attr={a} classes={classes.data ?? []} />
              </Col>
            ))}
          </Row>
        )}
        {ci && (
          <Form.Item name="changeTicketId" label={t('cmdb.changeTicketId')} extra={t('cmdb.changeTicketHint')}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="cmdb-change-ticket" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
