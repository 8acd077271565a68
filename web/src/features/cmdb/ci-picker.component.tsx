import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import type { CiNode } from './cmdb-types';
import { useCis } from './use-cmdb.query';

interface Known {
  id: number;
  name: string;
  className: string;
}

/** Options from GET /api/cis?q=, plus the CIs already chosen (which may not be among the results). */
function useCiOptions(search: string, known: readonly Known[], excludeId?: number) {
  const q = useDebouncedValue(search.trim());
  const list = useCis({ q: q || undefined, pageSize: 20 });
  const options = useMemo(() => {
    const seen = new Set<number>();
    const out: { value: number; label: string }[] = [];
    for (const c of [...known, ...(list.data?.items ?? [])]) {
      if (seen.has(c.id) || c.id === excludeId) continue;
      seen.add(c.id);
      out.push({ value: c.id, label: `${c.name} (${c.className})` });
    }
    return out;
  }, [known, list.data, excludeId]);
  return { options, loading: list.isFetching };
}

interface CiPickerProps {
  value?: number;
  onChange?: (value: number | undefined) => void;
  excludeId?: number;
  placeholder?: string;
  testId?: string;
}

/** One CI, searched by name, hostname, IP or serial number. */
export function CiPicker({ value, onChange, excludeId, placeholder, testId }: CiPickerProps) {
  const [search, setSearch] = useState('');
  const { options, loading } = useCiOptions(search, [], excludeId);
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={loading}
      placeholder={placeholder}
      data-testid={testId}
      optionRender={(option) => <span data-testid={testId ? `${testId}-option-${option.value}` : undefined}>{option.label}</span>}
      style={{ width: '100%' }}
    />
  );
}

interface CiMultiPickerProps {
  value?: number[];
  onChange?: (value: number[]) => void;
  /** The CIs chosen so far, for their labels. */
  known: readonly CiNode[];
  placeholder?: string;
  testId?: string;
}

/** Several CIs, searched on the server. */
export function CiMultiPicker({ value, onChange, known, placeholder, testId }: CiMultiPickerProps) {
  const [search, setSearch] = useState('');
  const { options, loading } = useCiOptions(search, known);
  return (
    <Select<number[]>
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value ?? []}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={loading}
      placeholder={placeholder}
      data-testid={testId}
      optionRender={(option) => <span data-testid={testId ? `${testId}-option-${option.value}` : undefined}>{option.label}</span>}
      style={{ width: '100%' }}
    />
  );
}
