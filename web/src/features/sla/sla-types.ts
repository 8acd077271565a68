import type { z } from 'zod';
import type {
  EscalationAction,
  EscalationStep,
  SlaDefinition,
  SlaKind,
  SlaMetric,
  SlaReplayResult,
  SlaRules,
  SlaRulesInput,
  TicketClock,
  TicketSlaBadge,
  createSlaRequestSchema,
  slaReplayChangeSchema,
  slaReplayRequestSchema,
  slaVersionSchema,
  updateSlaRequestSchema,
} from '@tianshu/contracts';

/** Request and reply types the contracts define as schemas only; type-only, so no zod is bundled. */
export type CreateSlaRequest = z.input<typeof createSlaRequestSchema>;
export type UpdateSlaRequest = z.input<typeof updateSlaRequestSchema>;
export type SlaReplayRequest = z.input<typeof slaReplayRequestSchema>;
export type SlaReplayChange = z.infer<typeof slaReplayChangeSchema>;
export type SlaVersion = z.infer<typeof slaVersionSchema>;
export type ClockState = TicketClock['state'];
export type EscalationRecipient = Extract<EscalationAction, { type: 'notify' }>['to'][number];
export type { EscalationAction, EscalationStep, SlaDefinition, SlaKind, SlaMetric, SlaReplayResult, SlaRules, SlaRulesInput, TicketClock, TicketSlaBadge };
