import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import type { Locale } from '@tianshu/contracts';
import { enUS } from './en-us';
import { zhCN, type Resource } from './zh-cn';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resource };
  }
}

export const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

// Remembers the choice made on the login page, before the server can store it per user.
const STORAGE_KEY = 'tianshu.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

const DAYJS_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };
const RESOURCES: Record<Locale, Resource> = { 'zh-CN': zhCN, 'en-US': enUS };

function syncSideEffects(locale: Locale): void {
  document.documentElement.lang = locale;
  document.title = RESOURCES[locale].app.name;
  dayjs.locale(DAYJS_LOCALES[locale]);
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : DEFAULT_LOCALE;
}

export async function applyLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode: the per-user setting on the server still remembers it.
  }
  syncSideEffects(locale);
  if (i18next.language !== locale) await i18next.changeLanguage(locale);
}

const initialLocale = storedLocale();
syncSideEffects(initialLocale);

// Resources are bundled, so initialisation is synchronous and the first render is translated.
void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: RESOURCES['zh-CN'] }, 'en-US': { translation: RESOURCES['en-US'] } },
  lng: initialLocale,
  supportedLngs: [...LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  load: 'currentOnly',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18next };
