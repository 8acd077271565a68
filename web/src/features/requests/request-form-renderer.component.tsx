import { useMemo, useState } from 'react';
import { Checkbox, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { visibleFieldKeys, type FormField, type FormValue } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useGroups } from '../../shared/use-directory.query';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { localized } from '../workflows/workflow-labels';
import type { FieldErrors, FormValues } from './form-values';

function CiSelect({ value, onChange, orgId, testId, disabled }: { value: number | null; onChange: (v: number | null) => void; orgId?: number | undefined; testId: string; disabled?: boolean | undefined }) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const cis = useQuery({
    queryKey: ['requests', 'ci-lookup', q, orgId],
    queryFn: ({ signal }) => api.get<{ items: { id: number; name: string; className?: string }[] }>('/api/cis', { q: q || undefined, orgId, pageSize: 20 }, signal),
    enabled: !disabled,
  });
  return (
    <Select<number | null>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      onChange={(v) => onChange(v ?? null)}
      options={(cis.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
      loading={cis.isFetching}
      data-testid={testId}
      disabled={disabled}
      style={{ width: '100%' }}
    />
  );
}

interface RendererProps {
  fields: readonly FormField[];
  values: FormValues;
  onChange: (next: FormValues) => void;
  errors?: FieldErrors;
  /** The organisation the request is for (user and CI pickers search it). */
  orgId?: number | undefined;
  disabled?: boolean;
  testIdPrefix?: string;
}

/**
 * Renders a designed form from its schema. Show-if rules are evaluated live with the same function
 * the server uses; server-side errors are shown under their fields.
 */
export function RequestFormRenderer({ fields, values, onChange, errors = {}, orgId, disabled, testIdPrefix = 'request-field' }: RendererProps) {
  const { t, i18n } = useTranslation();
  const shown = useMemo(() => visibleFieldKeys({ fields }, values), [fields, values]);
  const groups = useGroups(fields.some((f) => f.type === 'group'));
  const set = (key: string, v: FormValue | undefined) => onChange({ ...values, [key]: v });

  const widget = (f: FormField) => {
    const id = `${testIdPrefix}-${f.key}`;
    const v = values[f.key];
    const options = f.options.map((o) => ({ value: o.value, label: localized(o.label, i18n.language) }));
    switch (f.type) {
      case 'textarea':
        return <Input.TextArea rows={3} value={typeof v === 'string' ? v : ''} onChange={(e) => set(f.key, e.target.value)} data-testid={id} disabled={disabled} />;
      case 'number':
        return <InputNumber value={typeof v === 'number' ? v : null} onChange={(n) => set(f.key, n ?? null)} data-testid={id} disabled={disabled} style={{ width: 200 }} />;
      case 'date':
        return (
          <DatePicker
            value={typeof v === 'string' && v ? dayjs(v) : null}
            onChange={(d) => set(f.key, d ? d.format('YYYY-MM-DD') : null)}
            data-testid={id}
            disabled={disabled}
          />
        );
      case 'datetime':
        return (
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={typeof v === 'string' && v ? dayjs(v) : null}
            onChange={(d) => set(f.key, d ? d.toISOString() : null)}
            data-testid={id}
            disabled={disabled}
          />
        );
      case 'select':
        return (
          <Select<string>
            allowClear
            value={typeof v === 'string' ? v : undefined}
            onChange={(x) => set(f.key, x ?? null)}
            options={options}
            data-testid={id}
            disabled={disabled}
            optionRender={(o) => <span data-testid={`${id}-option-${String(o.value)}`}>{o.label}</span>}
            style={{ width: '100%', maxWidth: 420 }}
          />
        );
      case 'multiselect':
        return (
          <Select<string[]>
            mode="multiple"
            allowClear
            value={Array.isArray(v) ? v : []}
            onChange={(x) => set(f.key, x)}
            options={options}
            data-testid={id}
            disabled={disabled}
            optionRender={(o) => <span data-testid={`${id}-option-${String(o.value)}`}>{o.label}</span>}
            style={{ width: '100%', maxWidth: 420 }}
          />
        );
      case 'checkbox':
        return (
          <Checkbox checked={v === true} onChange={(e) => set(f.key, e.target.checked)} data-testid={id} disabled={disabled}>
            {localized(f.label, i18n.language)}
          </Checkbox>
        );
      case 'user':
        return <UserLookupSelect value={typeof v === 'number' ? v : null} onChange={(x) => set(f.key, x)} orgId={orgId} testId={id} disabled={disabled} />;
      case 'group':
        return (
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={typeof v === 'number' ? v : undefined}
            onChange={(x) => set(f.key, x ?? null)}
            options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
            data-testid={id}
            disabled={disabled}
            style={{ width: '100%', maxWidth: 420 }}
          />
        );
      case 'ci':
        return <CiSelect value={typeof v === 'number' ? v : null} onChange={(x) => set(f.key, x)} orgId={orgId} testId={id} disabled={disabled} />;
      default:
        return (
          <Input
            value={typeof v === 'string' ? v : ''}
            onChange={(e) => set(f.key, e.target.value)}
            data-testid={id}
            disabled={disabled}
            inputMode={f.type === 'phone' ? 'tel' : f.type === 'email' ? 'email' : undefined}
            style={{ maxWidth: f.type === 'text' ? undefined : 320 }}
          />
        );
    }
  };

  return (
    <Form layout="vertical" component="div">
      {fields
        .filter((f) => shown.has(f.key))
        .map((f) => {
          const code = errors[f.key];
          const help = code ? t(`request.fieldError.${code}`, { min: f.min ?? '', max: f.max ?? '' }) : f.help ? localized({ 'zh-CN': f.help['zh-CN'], 'en-US': f.help['en-US'] }, i18n.language) || undefined : undefined;
          return (
            <Form.Item
              key={f.key}
              label={f.type === 'checkbox' ? undefined : localized(f.label, i18n.language)}
              required={f.required}
              validateStatus={code ? 'error' : undefined}
              help={help ? <span data-testid={code ? `${testIdPrefix}-${f.key}-error` : undefined}>{help}</span> : undefined}
              data-testid={`${testIdPrefix}-item-${f.key}`}
            >
              {widget(f)}
            </Form.Item>
          );
        })}
    </Form>
  );
}
