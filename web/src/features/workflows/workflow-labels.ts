import type { Label, Locale, StateCategory } from '@tianshu/contracts';

/** A workflow label in the user's language (the other language when that one is blank). */
export function localized(label: Label, locale: string): string {
  const lang: Locale = locale === 'en-US' ? 'en-US' : 'zh-CN';
  const other: Locale = lang === 'en-US' ? 'zh-CN' : 'en-US';
  return label[lang].trim() !== '' ? label[lang] : label[other];
}

// Records keyed by the contract union: a category added to the contract and missing here fails typecheck.
const TAG_COLORS: Record<StateCategory, string> = {
  open: 'blue',
  pending: 'orange',
  resolved: 'green',
  closed: 'default',
  cancelled: 'default',
};
/** Fill colours of the state diagram (antd palette, matching the tags). */
const NODE_COLORS: Record<StateCategory, string> = {
  open: '#1677ff',
  pending: '#fa8c16',
  resolved: '#52c41a',
  closed: '#8c8c8c',
  cancelled: '#bfbfbf',
};

export const STATE_CATEGORIES = Object.keys(TAG_COLORS) as StateCategory[];
export const categoryTagColor = (category: StateCategory): string => TAG_COLORS[category];
export const categoryNodeColor = (category: StateCategory): string => NODE_COLORS[category];
