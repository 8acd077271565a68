import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentState } from '@tianshu/contracts';
import { priorityColor, stateColor } from './enums';
import { priorityLabel, stateLabel } from './labels';

export function PriorityTag({ priority, testId }: { priority: number; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={priorityColor(priority)} data-testid={testId} data-priority={priority}>
      {priorityLabel(t, priority)}
    </Tag>
  );
}

export function StateTag({ state, testId }: { state: IncidentState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={stateColor(state)} data-testid={testId} data-state={state}>
      {stateLabel(t, state)}
    </Tag>
  );
}
