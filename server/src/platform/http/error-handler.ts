import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ErrorCode, Locale } from '@tianshu/contracts';
import { AppError, formatError, type ErrorParams } from '../errors/error-registry.ts';
import { objectName, termName } from '../i18n/locale.ts';
import type { Db } from '../db/db.ts';
import { denied } from '../auth/auth.hooks.ts';

const zodLocales = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

type LocaleErrorFn = (issue: unknown) => string | { message: string } | undefined | null;

/** Messages of custom (refine) rules in the contracts, which zod's locales cannot translate. */
const CUSTOM_MESSAGES: Record<string, Record<Locale, string>> = {
  'periods of one day overlap': { 'zh-CN': '同一天的工作时段不能重叠', 'en-US': 'Working periods of one day must not overlap' },
  'start must be before end': { 'zh-CN': '开始时间必须早于结束时间', 'en-US': 'The start must be before the end' },
};

function zodMessage(locale: Locale, issue: Record<string, unknown>): string {
  if (issue.code === 'custom' && typeof issue.message === 'string') {
    const custom = CUSTOM_MESSAGES[issue.message];
    if (custom) return custom[locale];
  }
  const fn = zodLocales[locale].localeError as unknown as LocaleErrorFn | undefined;
  const out = fn?.(issue);
  if (typeof out === 'string') return out;
  if (out && typeof out.message === 'string') return out.message;
  return String(issue.message ?? issue.code ?? 'invalid');
}

/** Localises parameters that name states, actions, fields or objects. */
function localiseParams(params: ErrorParams, locale: Locale): ErrorParams {
  const out: ErrorParams = { ...params };
  for (const k of ['state', 'action'] as const) {
    const v = params[k];
    if (typeof v === 'string') out[k] = termName(v, locale);
  }
  if (typeof params.object === 'string') out.object = objectName(params.object, locale);
  if (typeof params.fields === 'string') {
    out.fields = params.fields
      .split(',')
      .map((f) => termName(f, locale))
      .join(locale === 'zh-CN' ? '、' : ', ');
  }
  return out;
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  status: number,
  params: ErrorParams = {},
  details?: unknown,
) {
  const locale = request.locale;
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({
      error: {
        code,
        message: formatError(code, locale, localiseParams(params, locale)),
        ...(details === undefined ? {} : { details }),
        requestId: String(request.id),
      },
    });
}

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001', '08003']);

export function registerErrorHandling(app: FastifyInstance, deps: { db: Db }) {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      // Every refusal is audited, wherever in the request it was decided.
      if (err.code === 'FORBIDDEN' && !err.audited) {
        err.audited = true;
        await denied(deps.db, request, 'forbidden by service rule').catch((e: unknown) => request.log.error({ err: e }, 'audit of denial failed'));
      }
      return sendError(reply, request, err.code, err.status, err.params, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const locale = request.locale;
      const where = err.validationContext;
      const details = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const issue = { ...(v.params as Record<string, unknown>), code: v.keyword, message: v.message };
        return { in: where, path, code: v.keyword, message: zodMessage(locale, issue) };
      });
      const summary = details
        .slice(0, 3)
        .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
        .join('; ');
      return sendError(reply, request, 'VALIDATION_FAILED', 400, { summary }, details);
    }
    const code = err.code;
    if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
      return sendError(reply, request, 'INVALID_JSON', 400);
    }
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, request, 'BODY_TOO_LARGE', 413);
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      return sendError(reply, request, 'UNSUPPORTED_MEDIA_TYPE', 415);
    }
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      return sendError(reply, request, 'ATTACHMENT_TOO_LARGE', 413, { limit: '' });
    }
    if (code === 'FST_ERR_VALIDATION' || (err.statusCode === 400 && code?.startsWith('FST_'))) {
      return sendError(reply, request, 'VALIDATION_FAILED', 400, { summary: err.message });
    }
    if (PG_CONNECTION_CODES.has(String(code ?? ''))) {
      request.log.error({ err }, 'database unavailable');
      return sendError(reply, request, 'DB_UNAVAILABLE', 503);
    }
    // Anything else is our bug: log it with the stack, tell the client nothing about internals.
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL', 500);
  });
}
