/**
 * Chinese full-text search without a database extension. PostgreSQL's parser cannot segment
 * Chinese, so the app builds the document text: every Han character as its own token, in order,
 * so a phrase query of consecutive characters matches any substring (like ILIKE, but indexed);
 * then the Intl.Segmenter words, for ranking. Stored with to_tsvector('simple', ...) and a GIN index.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const MAX_DOC_CHARS = 6000;

/** Splits Han characters apart and keeps other word runs; everything else becomes a space. */
export function charLayer(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    if (HAN.test(ch)) out += ` ${ch} `;
    else if (/[\p{L}\p{N}_.@:/-]/u.test(ch)) out += ch;
    else out += ' ';
  }
  return out.replace(/\s+/g, ' ').trim();
}

export function wordLayer(text: string): string {
  const words: string[] = [];
  for (const s of segmenter.segment(text.toLowerCase())) {
    if (s.isWordLike && HAN.test(s.segment) && [...s.segment].length > 1) words.push(s.segment);
  }
  return words.join(' ');
}

/** The text passed to to_tsvector('simple', ...) for a ticket. */
export function searchDocument(...parts: (string | null | undefined)[]): string {
  const text = parts.filter((p): p is string => !!p).join('\n').slice(0, MAX_DOC_CHARS);
  return `${charLayer(text)} ${wordLayer(text)}`.trim();
}

/** Each whitespace-separated term of a query, normalised like the document; all must match. */
export function searchTerms(query: string): string[] {
  return query
    .split(/\s+/)
    .map((t) => charLayer(t))
    .filter((t) => t.length > 0)
    .slice(0, 8);
}
