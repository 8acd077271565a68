import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentState } from '@tianshu/contracts';
import { INCIDENT_STATES, priorityColor, stateColor } from './enums';
import { priorityLabel, stateLabel } from './labels';

export function PriorityTag({ priority, testId }: { priority: number; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={priorityColor(priority)} data-testid={testId} data-priority={priority}>
      {priorityLabel(t, priority)}
    </Tag>
  );
}

/**
 * An incident state. Built-in states use the app's labels; a state an admin added to the workflow
 * shows the workflow's label (`label`) in the user's language.
 */
export function StateTag({ state, label, testId }: { state: string; label?: Record<'zh-CN' | 'en-US', string>; testId?: string }) {
  const { t, i18n } = useTranslation();
  const known = isIncidentState(state);
  const text = known ? stateLabel(t, state) : (label?.[i18n.language === 'en-US' ? 'en-US' : 'zh-CN'] ?? state);
  return (
    <Tag color={known ? stateColor(state) : 'default'} data-testid={testId} data-state={state}>
      {text}
    </Tag>
  );
}

function isIncidentState(s: string): s is IncidentState {
  return (INCIDENT_STATES as readonly string[]).includes(s);
}
