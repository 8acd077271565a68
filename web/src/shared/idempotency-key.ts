/**
 * A random key for the Idempotency-Key header. crypto.randomUUID exists only in secure contexts,
 * and an intranet deployment over plain HTTP is common, so fall back to getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
