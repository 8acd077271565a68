import { describe, expect, it } from 'vitest';
import { createRequest, draftFromDefinition, draftProblems, emptyDraft, rulesFromDraft, updateRequest } from './sla-draft';
import type { SlaDefinition } from './sla-types';

const definition: SlaDefinition = {
  id: 3,
  name: '标准服务',
  kind: 'sla',
  description: '',
  active: true,
  rank: 100,
  version: 4,
  calendarName: '5x8',
  updatedAt: '2026-05-01T01:00:00.000Z',
  rules: {
    calendarId: 9,
    match: { types: ['incident'], priorities: [2], orgIds: [5], services: [], categories: [], groupIds: [7, 8] },
    targets: [{ priority: 2, responseMinutes: null, resolutionMinutes: 240, updateMinutes: null }],
    pauseOn: ['customer', 'vendor'],
    noPausePriorities: [],
    thresholds: [50, 75, 90],
    escalations: [{ atPct: 100, metrics: ['resolution'], actions: [{ type: 'notify', to: ['managers'], userIds: [], groupIds: [] }] }],
    reopenResumes: true,
    retroactivePriority: true,
    start: 'assigned',
    responseStop: 'accept',
    resolutionStop: 'closed',
  },
};

describe('SLA form draft', () => {
  it('sends only priorities that have a target, in order', () => {
    const draft = emptyDraft();
    draft.name = '  金牌服务 ';
    draft.calendarId = 2;
    draft.targets[3].resolution = 960;
    draft.targets[1] = { response: 15, resolution: 60, update: 30 };
    draft.priorities = [3, 1];
    const request = createRequest(draft);
    expect(request.name).toBe('金牌服务');
    expect(request.rules.targets).toEqual([
      { priority: 1, responseMinutes: 15, resolutionMinutes: 60, updateMinutes: 30 },
      { priority: 3, responseMinutes: null, resolutionMinutes: 960, updateMinutes: null },
    ]);
    expect(request.rules.match?.priorities).toEqual([1, 3]);
    expect(request.rules.pauseOn).toEqual(['customer', 'vendor']);
    expect(request.rules.match?.groupIds).toEqual([]);
    expect(request.rules).toMatchObject({ start: 'created', responseStop: 'reply_or_accept', resolutionStop: 'resolved' });
  });

  it('sends the assignment groups and clock conditions of a new definition', () => {
    const draft = emptyDraft();
    draft.name = 'OLA 网络组';
    draft.kind = 'ola';
    draft.calendarId = 2;
    draft.targets[2].resolution = 240;
    draft.groupIds = [4];
    draft.start = 'assigned';
    draft.responseStop = 'reply';
    draft.resolutionStop = 'closed';
    const { rules } = createRequest(draft);
    expect(rules.match?.groupIds).toEqual([4]);
    expect(rules).toMatchObject({ start: 'assigned', responseStop: 'reply', resolutionStop: 'closed' });
  });

  it('round-trips a definition and sends only what changed', () => {
    const draft = draftFromDefinition(definition);
    expect(rulesFromDraft(draft)).toEqual(definition.rules);
    expect(updateRequest(definition, draft)).toEqual({ version: 4 });
    draft.active = false;
    expect(updateRequest(definition, draft)).toEqual({ version: 4, active: false });
    expect(draft).toMatchObject({ groupIds: [7, 8], start: 'assigned', responseStop: 'accept', resolutionStop: 'closed' });
    draft.resolutionStop = 'resolved';
    expect(updateRequest(definition, draft).rules).toMatchObject({ match: { groupIds: [7, 8] }, start: 'assigned', responseStop: 'accept', resolutionStop: 'resolved' });
    draft.resolutionStop = 'closed';
    expect(updateRequest(definition, draft)).toEqual({ version: 4, active: false });
    draft.targets[2].resolution = 480;
    const request = updateRequest(definition, draft);
    expect(request.rules?.targets).toEqual([{ priority: 2, responseMinutes: null, resolutionMinutes: 480, updateMinutes: null }]);
    // Editing the draft never touched the definition it came from.
    expect(definition.rules.targets[0]?.resolutionMinutes).toBe(240);
  });

  it('tells what is missing before asking the server', () => {
    expect(draftProblems(emptyDraft())).toEqual(['nameRequired', 'calendarRequired', 'atLeastOne']);
    const draft = draftFromDefinition(definition);
    expect(draftProblems(draft)).toEqual([]);
    draft.targets[1].response = 0;
    draft.escalations = [{ atPct: 90, metrics: ['resolution'], actions: [{ type: 'reassign', groupId: 0 }] }];
    expect(draftProblems(draft)).toEqual(['positive', 'groupRequired']);
  });
});
