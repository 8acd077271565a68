import { useMemo } from 'react';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Renders user-written Markdown; DOMPurify strips scripts, handlers and javascript: links. */
export function MarkdownView({ source, testId }: { source: string; testId?: string }) {
  const html = useMemo(() => {
    const raw = marked.parse(source, { async: false, gfm: true, breaks: true });
    return DOMPurify.sanitize(raw, { USE_PROFILES: { html: true } });
  }, [source]);
  return <div className="ts-markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
