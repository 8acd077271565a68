import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, parseListState, toApiQuery, toSearchParams } from './incident-list-params';

describe('incident list URL state', () => {
  it('round-trips filters through the URL and drops junk', () => {
    const s = parseListState(new URLSearchParams('view=mine&state=new,bogus,pending&priority=1,9,2&orgId=5&page=3&pageSize=9999&sort=-priority&q=宕机&sla=at_risk'));
    expect(s).toMatchObject({ view: 'mine', state: ['new', 'pending'], priority: [1, 2], orgId: 5, page: 3, pageSize: 200, sort: '-priority', q: '宕机', sla: 'at_risk' });
    expect(parseListState(toSearchParams(s))).toEqual(s);
    expect(toApiQuery(s).sla).toBe('at_risk');
  });
  it('falls back to defaults', () => {
    const s = parseListState(new URLSearchParams('view=evil&orgId=-1&page=0&sla=late'));
    expect(s.view).toBeUndefined();
    expect(s.sla).toBeUndefined();
    expect(toApiQuery(s).sla).toBeUndefined();
    expect(s.orgId).toBeUndefined();
    expect(s.page).toBe(1);
    expect(s.sort).toBe(DEFAULT_SORT);
    expect(toSearchParams(s).toString()).toBe('');
  });
  it('writes the SLA filter to the URL only when it is set', () => {
    const s = parseListState(new URLSearchParams('sla=breached'));
    expect(s.sla).toBe('breached');
    expect(toSearchParams(s).toString()).toBe('sla=breached');
    expect(toSearchParams({ ...s, sla: undefined }).toString()).toBe('');
  });
});
