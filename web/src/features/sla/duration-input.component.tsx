import { useState } from 'react';
import { InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';

interface Parts {
  hours: number | null;
  minutes: number | null;
}

const split = (value: number | null): Parts =>
  value === null ? { hours: null, minutes: null } : { hours: Math.floor(value / 60) || null, minutes: value % 60 || null };

/** Both inputs empty = no target; otherwise hours * 60 + minutes (0 stays 0, which the form refuses). */
const join = (parts: Parts): number | null =>
  parts.hours === null && parts.minutes === null ? null : (parts.hours ?? 0) * 60 + (parts.minutes ?? 0);

interface DurationInputProps {
  /** Minutes; null = none. */
  value: number | null;
  onChange: (minutes: number | null) => void;
  /** `${testId}-hours` and `${testId}-minutes` on the two inputs. */
  testId: string;
  label: string;
  disabled?: boolean;
}

/** Hours and minutes of business time, stored as minutes; empty means "no target". */
export function DurationInput({ value, onChange, testId, label, disabled }: DurationInputProps) {
  const { t } = useTranslation();
  const [parts, setParts] = useState<Parts>(() => split(value));
  // A new value from outside (a reset, a reload): show it, unless it is what the inputs already say.
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (join(parts) !== value) setParts(split(value));
  }
  const update = (next: Parts) => {
    setParts(next);
    const minutes = join(next);
    setSeen(minutes);
    onChange(minutes);
  };
  const invalid = value !== null && value <= 0;
  return (
    <Space.Compact>
      <InputNumber<number>
        min={0}
        max={8760}
        precision={0}
        value={parts.hours}
        onChange={(hours) => update({ ...parts, hours: hours ?? null })}
        suffix={t('sla.target.hours')}
        placeholder="—"
        status={invalid ? 'error' : undefined}
        disabled={disabled}
        aria-label={`${label} ${t('sla.target.hours')}`}
        style={{ width: 80 }}
        data-testid={`${testId}-hours`}
      />
      <InputNumber<number>
        min={0}
        max={59}
        precision={0}
        value={parts.minutes}
        onChange={(minutes) => update({ ...parts, minutes: minutes ?? null })}
        suffix={t('sla.target.minutes')}
        placeholder="—"
        status={invalid ? 'error' : undefined}
        disabled={disabled}
        aria-label={`${label} ${t('sla.target.minutes')}`}
        style={{ width: 80 }}
        data-testid={`${testId}-minutes`}
      />
    </Space.Compact>
  );
}
