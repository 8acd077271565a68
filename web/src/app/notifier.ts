import type { App } from 'antd';
import { ApiError } from './api-client';
import { i18next } from './i18n/i18n';

type MessageApi = ReturnType<typeof App.useApp>['message'];

// The antd message API lives in React context (so it follows theme and locale); the query
// cache reports errors outside React, so the shell hands the instance over here.
let messageApi: MessageApi | null = null;

export function setMessageApi(next: MessageApi | null): void {
  messageApi = next;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return i18next.t('errors.network');
}

export function notifyError(error: unknown): void {
  // Keyed by code so a burst of failing requests shows one message, not a stack of them.
  const key = error instanceof ApiError ? error.code : 'NETWORK';
  messageApi?.error({ content: errorText(error), key });
}

export function notifyWarning(content: string, key?: string): void {
  messageApi?.warning({ content, key });
}

export function notifySuccess(content: string): void {
  messageApi?.success(content);
}
