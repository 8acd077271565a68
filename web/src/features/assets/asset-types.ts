import type { z } from 'zod';
import {
  ASSET_TRANSITIONS,
  type Asset,
  type AssetEvent,
  type AssetImportance,
  type AssetKind,
  type AssetPage,
  type AssetStatus,
  type SparePart,
  type SparePartDetail,
  type SparePartMovement,
  type SparePartMovementKind,
  type SparePartMovementResult,
  type SparePartPage,
  type SparePartStock,
  type SparePartTest,
  type WipeMethod,
  type assetTransitionRequestSchema,
  type createAssetRequestSchema,
  type createSparePartMovementRequestSchema,
  type createSparePartRequestSchema,
  type createSparePartTestRequestSchema,
  type updateAssetRequestSchema,
  type updateSparePartRequestSchema,
} from '@tianshu/contracts';

export type { Asset, AssetEvent, AssetImportance, AssetKind, AssetPage, AssetStatus, WipeMethod };
export type { SparePart, SparePartDetail, SparePartMovement, SparePartMovementKind, SparePartMovementResult, SparePartPage, SparePartStock, SparePartTest };
export type CreateAssetRequest = z.input<typeof createAssetRequestSchema>;
export type UpdateAssetRequest = z.input<typeof updateAssetRequestSchema>;
export type AssetTransitionRequest = z.input<typeof assetTransitionRequestSchema>;
export type CreateSparePartRequest = z.input<typeof createSparePartRequestSchema>;
export type UpdateSparePartRequest = z.input<typeof updateSparePartRequestSchema>;
export type CreateSparePartMovementRequest = z.input<typeof createSparePartMovementRequestSchema>;
export type CreateSparePartTestRequest = z.input<typeof createSparePartTestRequestSchema>;

export const ASSET_STATUSES: readonly AssetStatus[] = ['in_stock', 'in_use', 'under_repair', 'retired', 'disposed'];
export const ASSET_KINDS: readonly AssetKind[] = ['hardware', 'software'];
export const ASSET_IMPORTANCES: readonly AssetImportance[] = ['core', 'important', 'normal'];
export const WIPE_METHODS: readonly WipeMethod[] = ['degauss', 'shredding', 'overwrite', 'no_storage'];
export const MOVEMENT_KINDS: readonly SparePartMovementKind[] = ['in', 'out', 'transfer', 'adjust'];

/** The moves offered on the detail page: the same table the server enforces. */
export const nextStatuses = (status: AssetStatus): readonly AssetStatus[] => ASSET_TRANSITIONS[status];

const STATUS_COLORS: Record<AssetStatus, string> = {
  in_stock: 'blue',
  in_use: 'green',
  under_repair: 'orange',
  retired: 'default',
  disposed: 'red',
};
export const assetStatusColor = (s: AssetStatus): string => STATUS_COLORS[s];
