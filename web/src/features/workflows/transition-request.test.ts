import { describe, expect, it } from 'vitest';
import { transitionRequestSchema } from '@tianshu/contracts';
import { transitionRequest, type WorkflowAction } from './transition-request';

const action = (key: string, inputs: WorkflowAction['inputs']): WorkflowAction => ({ key, label: { 'zh-CN': key, 'en-US': key }, inputs });
const everything = { assignmentGroupId: 4, assigneeId: 9, pendingReason: 'vendor', resolutionCode: 'fixed', resolutionNotes: '  replaced disk ', comment: ' why ' } as const;

describe('transition request', () => {
  it('sends only the inputs the action asks for, plus a comment when given', () => {
    const request = transitionRequest({ version: 7 }, action('pend', ['pendingReason']), everything);
    expect(request).toEqual({ action: 'pend', version: 7, pendingReason: 'vendor', comment: 'why' });
    expect(transitionRequestSchema.safeParse(request).success).toBe(true);
  });

  it('sends assignment as group and assignee, nulls when cleared', () => {
    expect(transitionRequest({ version: 1 }, action('assign', ['assignment']), { assignmentGroupId: 4 })).toEqual({
      action: 'assign',
      version: 1,
      assignmentGroupId: 4,
      assigneeId: null,
    });
  });

  it('trims resolution notes and drops blank comments', () => {
    const request = transitionRequest({ version: 2 }, action('resolve', ['resolutionCode', 'resolutionNotes']), { ...everything, comment: '   ' });
    expect(request).toEqual({ action: 'resolve', version: 2, resolutionCode: 'fixed', resolutionNotes: 'replaced disk' });
  });

  it('an action without inputs sends just the action and version', () => {
    expect(transitionRequest({ version: 3 }, action('take', []), {})).toEqual({ action: 'take', version: 3 });
  });
});
