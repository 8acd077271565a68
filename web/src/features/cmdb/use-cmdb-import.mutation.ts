import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CmdbImportMode, CmdbImportReport } from '@tianshu/contracts';
import { api, ApiError, isApiError } from '../../app/api-client';
import { currentLocale, i18next } from '../../app/i18n/i18n';
import { cmdbKeys } from './use-cmdb.query';

export type { CmdbImportMode, CmdbImportReport };

export type ImportRequest = { file: File; mode: CmdbImportMode | 'dry_run'; classKey?: string | undefined };

/** The report of a refused all-or-nothing import travels in the 422 error's details. */
export function refusedReport(error: unknown): CmdbImportReport | null {
  return isApiError(error, 'CMDB_IMPORT_HAS_ERRORS') ? (error.details as CmdbImportReport) : null;
}

export function useCmdbImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, mode, classKey }: ImportRequest) => {
      const form = new FormData();
      // Fields before the file, so the server reads them whatever the parser.
      form.append('mode', mode);
      if (classKey) form.append('classKey', classKey);
      form.append('file', file);
      return api.post<CmdbImportReport>('/api/cmdb/import', form);
    },
    onSuccess: (report) => {
      if (report.committed) void queryClient.invalidateQueries({ queryKey: cmdbKeys.all });
    },
    // The modal shows errors (and refused reports) itself.
    meta: { silent: true },
  });
}

/** Downloads an xlsx the API streams (export, template) under the name the server gives. */
export async function downloadXlsx(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { 'Accept-Language': currentLocale() } });
  if (!res.ok) {
    let message = i18next.t('errors.unexpected', { status: res.status });
    let code = `HTTP_${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code: string; message: string } };
      if (body.error) ({ code, message } = body.error);
    } catch {
      // Not JSON: keep the generic message.
    }
    throw new ApiError(res.status, code, message);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
