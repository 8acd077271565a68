import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useChangeSearch } from './use-releases.query';

interface ChangeSelectProps {
  value?: number[];
  onChange?: (value: number[]) => void;
  orgId: number | undefined;
  /** Changes already in the release (not offered again). */
  exclude?: number[];
  testId?: string;
}

/** Picks change tickets of the release's organisation by number or title. */
export function ChangeSelect({ value, onChange, orgId, exclude = [], testId }: ChangeSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const found = useChangeSearch(q, orgId, orgId !== undefined);
  const options = (found.data?.items ?? [])
    .filter((c) => !exclude.includes(c.id))
    .map((c) => ({ value: c.id, label: `${c.number} ${c.title}` }));
  return (
    <Select<number[]>
      mode="multiple"
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      disabled={orgId === undefined}
      loading={found.isFetching}
      placeholder={t('release.form.changesPlaceholder')}
      options={options}
      optionRender={(option) => <span data-testid={`release-change-option-${option.value}`}>{option.label}</span>}
      data-testid={testId}
    />
  );
}
