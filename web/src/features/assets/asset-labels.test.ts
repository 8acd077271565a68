import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { assetLabelUrl, chunk, parseLabelIds, qrPath } from './asset-labels';

/** The dark modules of the SVG that the qrcode library itself renders for a text. */
async function modulesOfLibrarySvg(text: string): Promise<Set<string>> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
  const d = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? '';
  // The library draws runs of dark modules as horizontal strokes: "M{x} {y+0.5}h{len}" (x and y relative moves too).
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const m of d.matchAll(/([Mmh])(-?\d+(?:\.\d+)?)(?:\s(-?\d+(?:\.\d+)?))?/g)) {
    const [, op, a, b] = m;
    if (op === 'M') {
      x = Number(a);
      y = Number(b) - 0.5;
    } else if (op === 'm') {
      x += Number(a);
      y += Number(b);
    } else {
      for (let i = 0; i < Number(a); i++) dark.add(`${x + i},${y}`);
      x += Number(a);
    }
  }
  return dark;
}

function modulesOfPath(d: string): Set<string> {
  return new Set([...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[1]},${m[2]}`));
}

describe('asset labels', () => {
  it('points the label at the tag route of this site', () => {
    expect(assetLabelUrl('https://itsm.example.cn', 'ZC-2026-000001')).toBe('https://itsm.example.cn/assets/by-tag/ZC-2026-000001');
    expect(assetLabelUrl('http://10.0.0.5:3000/', 'A/B 1')).toBe('http://10.0.0.5:3000/assets/by-tag/A%2FB%201');
  });

  it('draws the QR code of exactly that URL', async () => {
    const expected = 'https://itsm.example.cn/assets/by-tag/ZC-2026-000042';
    const drawn = qrPath(assetLabelUrl('https://itsm.example.cn', 'ZC-2026-000042'));
    expect(drawn.size).toBe(QRCode.create(expected, { errorCorrectionLevel: 'M' }).modules.size);
    const library = await modulesOfLibrarySvg(expected);
    expect(library.size).toBeGreaterThan(100);
    expect(modulesOfPath(drawn.d)).toEqual(library);
    expect(modulesOfPath(qrPath(assetLabelUrl('https://itsm.example.cn', 'ZC-2026-000043')).d)).not.toEqual(library);
  });

  it('reads ids from the query and splits them into sheets', () => {
    expect(parseLabelIds('3,1,x,3,-2,0,7')).toEqual([3, 1, 7]);
    expect(parseLabelIds(null)).toEqual([]);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
