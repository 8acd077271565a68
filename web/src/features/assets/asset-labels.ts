import QRCode from 'qrcode';

/** The address a scanned label opens: the tag route resolves to the asset page after sign-in. */
export function assetLabelUrl(origin: string, tag: string): string {
  return `${origin.replace(/\/+$/, '')}/assets/by-tag/${encodeURIComponent(tag)}`;
}

/** Medium error correction survives a scuffed label. */
export const QR_ERROR_CORRECTION = 'M';

/**
 * The QR code of a text as one SVG path of its dark modules (1 unit per module), drawn by React as an
 * <svg> element: synchronous, crisp when printed, and no generated markup is injected into the page.
 */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) parts.push(`M${x} ${y}h1v1h-1z`);
  }
  return { size: modules.size, d: parts.join('') };
}

/** `?ids=1,2,3` -> [1, 2, 3]: positive integers, duplicates dropped, order kept, at most one A4 page batch of 240. */
export function parseLabelIds(raw: string | null): number[] {
  const seen = new Set<number>();
  for (const part of (raw ?? '').split(',')) {
    const n = Number(part.trim());
    if (Number.isSafeInteger(n) && n > 0) seen.add(n);
  }
  return [...seen].slice(0, 240);
}

/** 3 columns x 8 rows on an A4 sheet. */
export const LABELS_PER_SHEET = 24;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
