import type { ErrorResponse } from '@tianshu/contracts';
import { currentLocale, i18next } from './i18n/i18n';

/** An API failure with the server's stable code and its already-localised message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, details?: unknown, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

interface AuthHandlers {
  /** The session is gone (401): the auth context drops the user and the router goes to login. */
  onUnauthorized: () => void;
  /** 403 AUTH_PASSWORD_CHANGE_REQUIRED: the router sends the user to the change-password page. */
  onPasswordChangeRequired: () => void;
  /** 403 AUTH_CSRF_FAILED: the token may have rotated, so the user record is fetched again. */
  onCsrfFailed: () => void;
}

let csrfToken: string | null = null;
let handlers: AuthHandlers | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setAuthHandlers(next: AuthHandlers | null): void {
  handlers = next;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue>;

/** Builds `?a=1&b=x,y`, dropping empty values; arrays are comma-separated as the API expects. */
export function toQueryString(params: QueryParams | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Paths whose 401 means "wrong input" or "not signed in yet", not "session lost".
const NO_REDIRECT_PATHS = ['/api/auth/login', '/api/auth/me'];

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // Not JSON (a proxy error page, for instance): fall through to a generic message.
  }
  if (isErrorResponse(payload)) {
    const { code, message, details, requestId } = payload.error;
    return new ApiError(response.status, code, message, details, requestId);
  }
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    i18next.t('errors.unexpected', { status: response.status }),
  );
}

function handleAuthFailure(path: string, error: ApiError): void {
  if (!handlers) return;
  if (error.status === 401 && !NO_REDIRECT_PATHS.includes(path)) handlers.onUnauthorized();
  else if (error.code === 'AUTH_PASSWORD_CHANGE_REQUIRED') handlers.onPasswordChangeRequired();
  else if (error.code === 'AUTH_CSRF_FAILED') handlers.onCsrfFailed();
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLocale(),
    ...options.headers,
  };
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body; // the browser sets the multipart boundary itself
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(path + toQueryString(options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', i18next.t('errors.network'));
  }

  if (!response.ok) {
    const error = await toApiError(response);
    handleAuthFailure(path, error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    apiRequest<T>('POST', path, { body, headers }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};
