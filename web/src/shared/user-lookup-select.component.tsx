import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useDebouncedValue } from './use-debounced-value';
import { useUserLookup } from './use-directory.query';

interface UserLookupSelectProps {
  value?: number | null;
  onChange?: (value: number | null) => void;
  orgId?: number;
  groupId?: number;
  placeholder?: string;
  testId?: string;
  /** Label of the current value, which may not be among the search results. */
  currentLabel?: string | null;
  disabled?: boolean;
}

/** Searches /api/lookup/users (requester and assignee pickers for ticket workers). */
export function UserLookupSelect(props: UserLookupSelectProps) {
  const { value, onChange, orgId, groupId, placeholder, testId, currentLabel, disabled } = props;
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const lookup = useUserLookup(q, { orgId, groupId, enabled: !disabled });

  const options = useMemo(() => {
    const found = (lookup.data ?? []).map((user) => ({
      value: user.id,
      label: `${user.displayName} (${user.username})`,
    }));
    if (value && currentLabel && !found.some((option) => option.value === value)) {
      found.unshift({ value, label: currentLabel });
    }
    return found;
  }, [lookup.data, value, currentLabel]);

  return (
    <Select<number | null>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value ?? null}
      onChange={(next) => onChange?.(next ?? null)}
      onClear={() => onChange?.(null)}
      options={options}
      loading={lookup.isFetching}
      placeholder={placeholder}
      data-testid={testId}
      disabled={disabled}
      optionRender={(option) => <span data-testid={testId ? `${testId}-option-${option.value}` : undefined}>{option.label}</span>}
      style={{ width: '100%' }}
    />
  );
}
