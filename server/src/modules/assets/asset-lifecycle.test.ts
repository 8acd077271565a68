import { describe, expect, it } from 'vitest';
import { ASSET_STATUS_VALUES, type AssetStatus } from '@tianshu/contracts';
import { canTransition, checkTransition, formatAssetTag } from './asset-lifecycle.ts';

const ALLOWED: [AssetStatus, AssetStatus][] = [
  ['in_stock', 'in_use'],
  ['in_stock', 'under_repair'],
  ['in_stock', 'retired'],
  ['in_use', 'in_stock'],
  ['in_use', 'under_repair'],
  ['in_use', 'retired'],
  ['under_repair', 'in_stock'],
  ['under_repair', 'in_use'],
  ['under_repair', 'retired'],
  ['retired', 'disposed'],
  ['retired', 'in_stock'],
];

describe('asset lifecycle rule', () => {
  it('allows exactly the moves of the transition table', () => {
    for (const from of ASSET_STATUS_VALUES) {
      for (const to of ASSET_STATUS_VALUES) {
        const expected = ALLOWED.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(expected);
      }
    }
  });

  it('treats disposed as final and refuses staying in place', () => {
    for (const to of ASSET_STATUS_VALUES) expect(canTransition('disposed', to)).toBe(false);
    for (const s of ASSET_STATUS_VALUES) expect(canTransition(s, s)).toBe(false);
  });

  it('needs a confirmed wipe to dispose of hardware, not of software', () => {
    expect(checkTransition('hardware', 'retired', 'disposed', undefined)).toEqual({ ok: false, code: 'ASSET_WIPE_REQUIRED' });
    expect(checkTransition('hardware', 'retired', 'disposed', { confirmed: false, method: 'shredding' })).toEqual({ ok: false, code: 'ASSET_WIPE_REQUIRED' });
    expect(checkTransition('hardware', 'retired', 'disposed', { confirmed: true, method: 'degauss', certificate: ' XH-01 ' })).toEqual({
      ok: true,
      wipe: { method: 'degauss', certificate: 'XH-01' },
    });
    expect(checkTransition('software', 'retired', 'disposed', undefined)).toEqual({ ok: true, wipe: null });
    // The transition table is checked before the wipe: disposing of an asset in use is refused whatever the wipe.
    expect(checkTransition('hardware', 'in_use', 'disposed', { confirmed: true, method: 'overwrite' })).toEqual({ ok: false, code: 'ASSET_TRANSITION_NOT_ALLOWED' });
  });

  it('formats generated tags with the year and six digits', () => {
    expect(formatAssetTag(2026, 1)).toBe('ZC-2026-000001');
    expect(formatAssetTag(2027, 1234567)).toBe('ZC-2027-1234567');
  });
});
