import type { z } from 'zod';
import type {
  Ci,
  CiAttributeDef,
  CiAttributeType,
  CiChange,
  CiClass,
  CiDiff,
  CiEffectiveAttribute,
  CiImportance,
  CiStatus,
  CiVersion,
  CiNode,
  CiRelationType,
  CiRelationView,
  ImpactDirection,
  ImpactEdge,
  ImpactNode,
  ImpactResult,
  TicketCis,
  CreateCiRelationRequest,
  createCiClassRequestSchema,
  createCiRequestSchema,
  updateCiClassRequestSchema,
  updateCiRequestSchema,
} from '@tianshu/contracts';

export type { Ci, CiAttributeDef, CiAttributeType, CiChange, CiClass, CiDiff, CiEffectiveAttribute, CiImportance, CiStatus, CiVersion };
export type { CiNode, CiRelationType, CiRelationView, CreateCiRelationRequest, ImpactDirection, ImpactEdge, ImpactNode, ImpactResult, TicketCis };
export type CreateCiRequest = z.input<typeof createCiRequestSchema>;
export type UpdateCiRequest = z.input<typeof updateCiRequestSchema>;
export type CreateCiClassRequest = z.input<typeof createCiClassRequestSchema>;
export type UpdateCiClassRequest = z.input<typeof updateCiClassRequestSchema>;
export interface CiPage {
  items: Ci[];
  total: number;
  page: number;
  pageSize: number;
}

export const CI_STATUSES: readonly CiStatus[] = ['planned', 'in_use', 'maintenance', 'retired'];
export const CI_IMPORTANCES: readonly CiImportance[] = ['core', 'important', 'normal'];
export const CI_ATTRIBUTE_TYPES: readonly CiAttributeType[] = ['string', 'number', 'boolean', 'date', 'enum', 'reference', 'ip'];
