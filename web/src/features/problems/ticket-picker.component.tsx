import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useTicketSearch } from './use-problems.query';

interface Known {
  id: number;
  number: string;
  title: string;
}

interface TicketPickerProps {
  type: 'incident' | 'change' | 'problem';
  value?: number[];
  onChange?: (value: number[]) => void;
  /** Tickets already chosen (for their labels). */
  known?: readonly Known[];
  /** Only tickets of this organisation. */
  orgId?: number;
  placeholder?: string;
  testId?: string;
  single?: boolean;
}

/** Tickets of one type searched on the server by number or text (GET /api/tickets?type=&q=). */
export function TicketPicker({ type, value, onChange, known = [], orgId, placeholder, testId, single = false }: TicketPickerProps) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const list = useTicketSearch(type, q);
  const options = useMemo(() => {
    const seen = new Set<number>();
    const out: { value: number; label: string }[] = [];
    for (const item of [...known, ...(list.data?.items ?? []).filter((x) => !orgId || x.orgId === orgId)]) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push({ value: item.id, label: `${item.number} ${item.title}` });
    }
    return out;
  }, [known, list.data, orgId]);
  const common = {
    showSearch: { filterOption: false, onSearch: setSearch },
    allowClear: true,
    options,
    loading: list.isFetching,
    placeholder,
    'data-testid': testId,
    optionRender: (option: { value?: string | number | null; label?: React.ReactNode }) => (
      <span data-testid={testId ? `${testId}-option-${option.value}` : undefined}>{option.label}</span>
    ),
    style: { width: '100%' },
  };
  if (single) {
    return <Select<number> {...common} value={value?.[0]} onChange={(next) => onChange?.(next === undefined ? [] : [next])} />;
  }
  return <Select<number[]> {...common} mode="multiple" value={value ?? []} onChange={(next) => onChange?.(next)} />;
}
