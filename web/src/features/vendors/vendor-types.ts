import type { z } from 'zod';
import type {
  ContractKind,
  createRepairOrderRequestSchema,
  createVendorContractRequestSchema,
  createVendorEvaluationRequestSchema,
  createVendorRequestSchema,
  EvaluationScores,
  Grade,
  RepairAction,
  RepairDocument,
  RepairEvent,
  RepairOrder,
  RepairOrderDetail,
  RepairOutcome,
  RepairStatus,
  ServiceLevel,
  updateVendorContractRequestSchema,
  updateVendorRequestSchema,
  Vendor,
  VendorContact,
  VendorContract,
  VendorDetail,
  VendorEvaluation,
  VendorListItem,
} from '@tianshu/contracts';

export type { ContractKind, EvaluationScores, Grade, RepairAction, RepairDocument, RepairEvent, RepairOrder, RepairOrderDetail, RepairOutcome, RepairStatus, ServiceLevel };
export type { Vendor, VendorContact, VendorContract, VendorDetail, VendorEvaluation, VendorListItem };
export type CreateVendorRequest = z.input<typeof createVendorRequestSchema>;
export type UpdateVendorRequest = z.input<typeof updateVendorRequestSchema>;
export type CreateContractRequest = z.input<typeof createVendorContractRequestSchema>;
export type UpdateContractRequest = z.input<typeof updateVendorContractRequestSchema>;
export type CreateEvaluationRequest = z.input<typeof createVendorEvaluationRequestSchema>;
export type CreateRepairRequest = z.input<typeof createRepairOrderRequestSchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
