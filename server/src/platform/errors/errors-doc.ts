import { ERROR_CODES } from '@tianshu/contracts';
import { ERROR_REGISTRY } from './error-registry.ts';

/** docs/errors.md is generated from the registry; a test fails when the file drifts. */
export function renderErrorsDoc(): string {
  const lines = [
    '# API error codes',
    '',
    'Generated from `server/src/platform/errors/error-registry.ts` by `npm run docs:errors`; a test fails when this file',
    'and the registry disagree. Every error reply has the shape',
    '`{ "error": { "code": "...", "message": "...", "details": ..., "requestId": "..." } }`. `code` is stable and never',
    'renamed; `message` is in the caller\'s language (the user\'s saved locale, else `Accept-Language`, else zh-CN).',
    '`{name}` marks a value filled in at run time.',
    '',
    '| code | HTTP | zh-CN | en-US |',
    '|---|---|---|---|',
  ];
  for (const code of ERROR_CODES) {
    const d = ERROR_REGISTRY[code];
    const cell = (s: string) => s.replaceAll('|', '\\|');
    lines.push(`| \`${code}\` | ${d.status} | ${cell(d['zh-CN'])} | ${cell(d['en-US'])} |`);
  }
  return `${lines.join('\n')}\n`;
}
