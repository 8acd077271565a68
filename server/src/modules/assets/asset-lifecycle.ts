import { ASSET_TRANSITIONS, type AssetKind, type AssetStatus, type WipeMethod } from '@tianshu/contracts';

export const STATUS_ZH: Record<AssetStatus, string> = {
  in_stock: '在库',
  in_use: '在用',
  under_repair: '维修中',
  retired: '已退役',
  disposed: '已处置',
};

export function canTransition(from: AssetStatus, to: AssetStatus): boolean {
  return ASSET_TRANSITIONS[from].includes(to);
}

export type WipeInput = { confirmed: boolean; method: WipeMethod; certificate?: string | undefined };

export type TransitionCheck =
  | { ok: true; wipe: { method: WipeMethod; certificate: string | null } | null }
  | { ok: false; code: 'ASSET_TRANSITION_NOT_ALLOWED' | 'ASSET_WIPE_REQUIRED' };

/**
 * The lifecycle rule, free of I/O: the move must be in the transition table, and disposing of
 * hardware needs a confirmed data wipe (software has no media; a wipe given for it is still recorded).
 */
export function checkTransition(kind: AssetKind, from: AssetStatus, to: AssetStatus, wipe: WipeInput | undefined): TransitionCheck {
  if (!canTransition(from, to)) return { ok: false, code: 'ASSET_TRANSITION_NOT_ALLOWED' };
  if (to !== 'disposed') return { ok: true, wipe: null };
  if (wipe && wipe.confirmed) return { ok: true, wipe: { method: wipe.method, certificate: wipe.certificate?.trim() || null } };
  if (kind === 'hardware') return { ok: false, code: 'ASSET_WIPE_REQUIRED' };
  return { ok: true, wipe: null };
}

/** A generated asset tag: ZC (资产) - year - six-digit sequence number. */
export function formatAssetTag(year: number, n: number): string {
  return `ZC-${year}-${String(n).padStart(6, '0')}`;
}
