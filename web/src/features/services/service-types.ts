import type { z } from 'zod';
import type {
  MaintenanceWindow,
  Outage,
  OutageImpact,
  PeriodAvailabilityDto,
  PeriodKind,
  Service,
  ServiceAvailability,
  ServiceSummary,
  createMaintenanceWindowRequestSchema,
  createOutageRequestSchema,
  createServiceRequestSchema,
  updateMaintenanceWindowRequestSchema,
  updateOutageRequestSchema,
  updateServiceRequestSchema,
} from '@tianshu/contracts';

/** Request types the contracts define as schemas only; type-only, so no zod is bundled. */
export type CreateServiceRequest = z.input<typeof createServiceRequestSchema>;
export type UpdateServiceRequest = z.input<typeof updateServiceRequestSchema>;
export type CreateOutageRequest = z.input<typeof createOutageRequestSchema>;
export type UpdateOutageRequest = z.input<typeof updateOutageRequestSchema>;
export type CreateMaintenanceWindowRequest = z.input<typeof createMaintenanceWindowRequestSchema>;
export type UpdateMaintenanceWindowRequest = z.input<typeof updateMaintenanceWindowRequestSchema>;
export type { MaintenanceWindow, Outage, OutageImpact, PeriodAvailabilityDto, PeriodKind, Service, ServiceAvailability, ServiceSummary };
