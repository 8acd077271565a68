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

const isHan = (t: string) => t.length > 0 && [...t].length === 1 && HAN.test(t);

/** Every pair of adjacent Han characters: a 2-character query becomes one exact index lookup. */
export function bigramLayer(chars: string): string {
  const tokens = chars.split(' ');
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i] ?? '';
    const b = tokens[i + 1] ?? '';
    if (isHan(a) && isHan(b)) out.push(a + b);
  }
  return out.join(' ');
}

/** The text passed to to_tsvector('simple', ...) for a ticket. */
export function searchDocument(...parts: (string | null | undefined)[]): string {
  const text = parts.filter((p): p is string => !!p).join('\n').slice(0, MAX_DOC_CHARS);
  const chars = charLayer(text);
  return `${chars} ${bigramLayer(chars)} ${wordLayer(text)}`.replace(/\s+/g, ' ').trim();
}

/**
 * One query term, normalised like the document. `phrase` (consecutive characters) makes the match
 * exact; `bigrams`, when present, let the GIN index narrow candidates without rechecking positions.
 * A term of exactly two Han characters is its bigram alone (exact, no recheck).
 */
export type SearchTerm = { phrase: string | null; bigrams: string | null };

export function searchTerms(query: string): SearchTerm[] {
  return query
    .split(/\s+/)
    .map((t) => charLayer(t))
    .filter((t) => t.length > 0)
    .slice(0, 8)
    .map((chars) => {
      const bigrams = bigramLayer(chars);
      const tokens = chars.split(' ');
      if (tokens.length === 2 && bigrams) return { phrase: null, bigrams };
      return { phrase: chars, bigrams: bigrams || null };
    });
}
