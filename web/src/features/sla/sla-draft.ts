import type { PriorityLevel } from '../../shared/contract-types';
import { PRIORITIES } from '../../shared/enums';
import { SLA_METRICS } from './sla-format';
import type { CreateSlaRequest, EscalationAction, EscalationStep, SlaDefinition, SlaKind, SlaMetric, SlaRules, SlaRulesInput, UpdateSlaRequest } from './sla-types';

export type SlaStart = SlaRules['start'];
export type SlaResponseStop = SlaRules['responseStop'];
export type SlaResolutionStop = SlaRules['resolutionStop'];

/** Minutes per metric; null = no clock of that metric at that priority. */
export type TargetDraft = Record<SlaMetric, number | null>;

/** What the definition form edits: the header fields and the rules, in shapes the inputs like. */
export interface SlaDraft {
  name: string;
  kind: SlaKind;
  description: string;
  active: boolean;
  rank: number;
  calendarId: number | null;
  types: 'incident'[];
  priorities: number[];
  orgIds: number[];
  services: string[];
  categories: string[];
  groupIds: number[];
  targets: Record<PriorityLevel, TargetDraft>;
  pauseOn: string[];
  noPausePriorities: number[];
  thresholds: number[];
  escalations: EscalationStep[];
  reopenResumes: boolean;
  retroactivePriority: boolean;
  start: SlaStart;
  responseStop: SlaResponseStop;
  resolutionStop: SlaResolutionStop;
}

const emptyTarget = (): TargetDraft => ({ response: null, resolution: null, update: null });

export function emptyDraft(): SlaDraft {
  return {
    name: '',
    kind: 'sla',
    description: '',
    active: true,
    rank: 100,
    calendarId: null,
    types: ['incident'],
    priorities: [],
    orgIds: [],
    services: [],
    categories: [],
    groupIds: [],
    targets: { 1: emptyTarget(), 2: emptyTarget(), 3: emptyTarget(), 4: emptyTarget() },
    pauseOn: ['customer', 'vendor'],
    noPausePriorities: [],
    thresholds: [50, 75, 90],
    escalations: [],
    reopenResumes: true,
    retroactivePriority: true,
    start: 'created',
    responseStop: 'reply_or_accept',
    resolutionStop: 'resolved',
  };
}

export function draftFromDefinition(def: SlaDefinition): SlaDraft {
  const base = emptyDraft();
  const targets = base.targets;
  for (const target of def.rules.targets) {
    const priority = PRIORITIES.find((p) => p === target.priority);
    if (priority === undefined) continue;
    targets[priority] = { response: target.responseMinutes, resolution: target.resolutionMinutes, update: target.updateMinutes };
  }
  const m = def.rules.match;
  return {
    name: def.name,
    kind: def.kind,
    description: def.description,
    active: def.active,
    rank: def.rank,
    calendarId: def.rules.calendarId,
    types: [...m.types],
    priorities: [...m.priorities],
    orgIds: [...m.orgIds],
    services: [...m.services],
    categories: [...m.categories],
    groupIds: [...m.groupIds],
    targets,
    pauseOn: [...def.rules.pauseOn],
    noPausePriorities: [...def.rules.noPausePriorities],
    thresholds: [...def.rules.thresholds],
    escalations: def.rules.escalations.map((step) => ({ ...step, metrics: [...step.metrics], actions: step.actions.map((a) => ({ ...a })) })),
    reopenResumes: def.rules.reopenResumes,
    retroactivePriority: def.rules.retroactivePriority,
    start: def.rules.start,
    responseStop: def.rules.responseStop,
    resolutionStop: def.rules.resolutionStop,
  };
}

const hasAny = (target: TargetDraft) => SLA_METRICS.some((metric) => target[metric] !== null);

/** The rules as the API takes them: priorities without any target are left out. */
export function rulesFromDraft(draft: SlaDraft): SlaRulesInput {
  return {
    calendarId: draft.calendarId ?? 0,
    match: {
      types: draft.types,
      priorities: [...draft.priorities].sort((a, b) => a - b),
      orgIds: draft.orgIds,
      services: draft.services,
      categories: draft.categories,
      groupIds: draft.groupIds,
    },
    targets: PRIORITIES.filter((p) => hasAny(draft.targets[p])).map((priority) => ({
      priority,
      responseMinutes: draft.targets[priority].response,
      resolutionMinutes: draft.targets[priority].resolution,
      updateMinutes: draft.targets[priority].update,
    })),
    pauseOn: draft.pauseOn,
    noPausePriorities: [...draft.noPausePriorities].sort((a, b) => a - b),
    thresholds: [...draft.thresholds].sort((a, b) => a - b),
    escalations: draft.escalations,
    reopenResumes: draft.reopenResumes,
    retroactivePriority: draft.retroactivePriority,
    start: draft.start,
    responseStop: draft.responseStop,
    resolutionStop: draft.resolutionStop,
  };
}

export function createRequest(draft: SlaDraft): CreateSlaRequest {
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    description: draft.description,
    active: draft.active,
    rank: draft.rank,
    rules: rulesFromDraft(draft),
  };
}

/** A new version: only what changed, with the version the form was loaded from. */
export function updateRequest(def: SlaDefinition, draft: SlaDraft): UpdateSlaRequest {
  const request: UpdateSlaRequest = { version: def.version };
  if (draft.name.trim() !== def.name) request.name = draft.name.trim();
  if (draft.description !== def.description) request.description = draft.description;
  if (draft.active !== def.active) request.active = draft.active;
  if (draft.rank !== def.rank) request.rank = draft.rank;
  const rules = rulesFromDraft(draft);
  if (JSON.stringify(rules) !== JSON.stringify(rulesFromDraft(draftFromDefinition(def)))) request.rules = rules;
  return request;
}

export type DraftProblem = 'nameRequired' | 'calendarRequired' | 'atLeastOne' | 'positive' | 'groupRequired';

/** What the form can tell before asking the server (which checks everything again and explains the rest). */
export function draftProblems(draft: SlaDraft): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!draft.name.trim()) out.push('nameRequired');
  if (draft.calendarId === null) out.push('calendarRequired');
  const values = PRIORITIES.flatMap((p) => SLA_METRICS.map((metric) => draft.targets[p][metric]));
  if (values.every((v) => v === null)) out.push('atLeastOne');
  if (values.some((v) => v !== null && v <= 0)) out.push('positive');
  if (draft.escalations.some((step) => step.actions.some((a) => a.type === 'reassign' && !(a.groupId > 0)))) out.push('groupRequired');
  return out;
}

/** A fresh action of a kind, with the fields the contract requires. */
export function newAction(type: EscalationAction['type']): EscalationAction {
  if (type === 'notify') return { type, to: ['assignee'], userIds: [], groupIds: [] };
  if (type === 'reassign') return { type, groupId: 0 };
  return { type };
}

export function newStep(): EscalationStep {
  return { atPct: 100, metrics: ['resolution'], actions: [newAction('notify')] };
}
