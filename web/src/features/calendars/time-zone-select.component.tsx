import { useMemo } from 'react';
import { Select } from 'antd';
import { timeZones } from './calendar-time';

interface TimeZoneSelectProps {
  value?: string;
  onChange?: (timeZone: string) => void;
  testId?: string;
  ariaLabel?: string;
}

/** Every IANA zone the browser knows, searchable by any part of its name. */
export function TimeZoneSelect({ value, onChange, testId, ariaLabel }: TimeZoneSelectProps) {
  const options = useMemo(() => timeZones(value).map((zone) => ({ value: zone, label: zone })), [value]);
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      value={value}
      onChange={onChange}
      options={options}
      aria-label={ariaLabel}
      style={{ width: '100%', maxWidth: 320 }}
      data-testid={testId}
    />
  );
}
