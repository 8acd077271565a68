import { describe, expect, it } from 'vitest';
import { slaRulesSchema, type SlaRulesInput } from '@tianshu/contracts';
import { PRESET_7X24 } from '../calendars/business-time.ts';
import { cnStatutoryCalendar } from '../calendars/cn-calendar.ts';
import { deriveClock, elapsedAt, type TimelineFact } from './clock.ts';

const sh = (local: string) => new Date(`${local}:00+08:00`);
const hm = (h: number, m = 0) => h * 60 + m;
const office = cnStatutoryCalendar([
  { start: hm(9), end: hm(12) },
  { start: hm(13, 30), end: hm(18) },
]);
const allDay = { ...PRESET_7X24, timeZone: 'Asia/Shanghai' };

const rules = (over: Partial<SlaRulesInput> = {}) =>
  slaRulesSchema.parse({
    calendarId: 1,
    targets: [
      { priority: 1, responseMinutes: 15, resolutionMinutes: 60, updateMinutes: 30 },
      { priority: 2, responseMinutes: 30, resolutionMinutes: 240 },
      { priority: 3, responseMinutes: 60, resolutionMinutes: 960 },
    ],
    ...over,
  });

const created = (at: string, priority = 2): TimelineFact => ({ at: sh(at), kind: 'created', state: 'new', priority });
const to = (at: string, from: string, state: string, pendingReason: string | null = null, byProvider = true): TimelineFact => ({
  at: sh(at),
  kind: 'state',
  from,
  to: state,
  pendingReason,
  byProvider,
});

describe('resolution clock', () => {
  it('P2 at 4 business hours crosses the Spring Festival make-up Saturday', () => {
    const c = deriveClock('resolution', rules(), office, [created('2026-02-13T17:00')], sh('2026-02-13T17:30'));
    expect(c?.state).toBe('running');
    expect(c?.dueAt).toEqual(sh('2026-02-14T12:00'));
    expect(c?.targetMinutes).toBe(240);
  });

  it('pauses while pending on the customer and moves the due time by the paused business time', () => {
    const facts = [created('2026-03-02T09:00'), to('2026-03-02T10:00', 'new', 'pending', 'customer'), to('2026-03-02T14:30', 'pending', 'in_progress')];
    const c = deriveClock('resolution', rules(), office, facts, sh('2026-03-02T15:00'));
    expect(c?.state).toBe('running');
    // 60 min used before the pause; 180 left from 14:30 -> 17:30.
    expect(c?.elapsedBase).toBe(60);
    expect(c?.dueAt).toEqual(sh('2026-03-02T17:30'));
    expect(c?.events.map((e) => e.event)).toEqual(['start', 'pause', 'resume']);
    expect(c?.events[1]?.reason).toBe('customer');
  });

  it('does not pause on a reason that is not configured, nor for a no-pause priority', () => {
    const facts = [created('2026-03-02T09:00'), to('2026-03-02T10:00', 'new', 'pending', 'change')];
    expect(deriveClock('resolution', rules(), office, facts, sh('2026-03-02T11:00'))?.state).toBe('running');
    const p1 = [created('2026-03-02T09:00', 1), to('2026-03-02T09:10', 'new', 'pending', 'customer')];
    expect(deriveClock('resolution', rules({ noPausePriorities: [1] }), allDay, p1, sh('2026-03-02T09:20'))?.state).toBe('running');
  });

  it('stops at resolved, not closed, and a reopen resumes the same clock', () => {
    const facts = [
      created('2026-03-02T09:00'),
      to('2026-03-02T10:00', 'new', 'resolved'),
      to('2026-03-02T11:00', 'resolved', 'in_progress', null, false),
    ];
    const stopped = deriveClock('resolution', rules(), office, facts.slice(0, 2), sh('2026-03-03T09:00'));
    expect(stopped?.state).toBe('stopped');
    expect(stopped?.elapsedBase).toBe(60);
    expect(stopped?.breached).toBe(false);
    const reopened = deriveClock('resolution', rules(), office, facts, sh('2026-03-02T11:30'));
    expect(reopened?.state).toBe('running');
    // 60 used; 180 left from 11:00: 11:00-12:00, 13:30-15:30.
    expect(reopened?.dueAt).toEqual(sh('2026-03-02T15:30'));
    const restarted = deriveClock('resolution', rules({ reopenResumes: false }), office, facts, sh('2026-03-02T11:30'));
    expect(restarted?.dueAt).toEqual(sh('2026-03-02T16:30'));
  });

  it('breaches at the due instant and records it once', () => {
    const c = deriveClock('resolution', rules(), allDay, [created('2026-03-02T09:00', 1)], sh('2026-03-02T12:00'));
    expect(c?.breached).toBe(true);
    expect(c?.breachedAt).toEqual(sh('2026-03-02T10:00'));
    expect(c?.events.filter((e) => e.event === 'breach')).toHaveLength(1);
    const before = deriveClock('resolution', rules(), allDay, [created('2026-03-02T09:00', 1)], sh('2026-03-02T09:59'));
    expect(before?.breached).toBe(false);
  });

  it('a priority change re-targets from the original start (retroactive)', () => {
    // P3 (960 min) raised to P1 (60 min) after 2 h on 7x24: breached an hour after the start.
    const facts: TimelineFact[] = [created('2026-03-02T09:00', 3), { at: sh('2026-03-02T11:00'), kind: 'priority', priority: 1 }];
    const c = deriveClock('resolution', rules(), allDay, facts, sh('2026-03-02T11:05'));
    expect(c?.targetMinutes).toBe(60);
    expect(c?.breached).toBe(true);
    expect(c?.breachedAt).toEqual(sh('2026-03-02T10:00'));
    expect(c?.events.map((e) => e.event)).toEqual(['start', 'retarget', 'breach']);
    // Not retroactive: 60 minutes from the change.
    const fromChange = deriveClock('resolution', rules({ retroactivePriority: false }), allDay, facts, sh('2026-03-02T11:05'));
    expect(fromChange?.breached).toBe(false);
    expect(fromChange?.dueAt).toEqual(sh('2026-03-02T12:00'));
  });

  it('a ticket raised from a priority without a target into one with a target is measured from its start', () => {
    const facts: TimelineFact[] = [created('2026-03-02T09:00', 4), { at: sh('2026-03-02T09:30'), kind: 'priority', priority: 1 }];
    const c = deriveClock('resolution', rules(), allDay, facts, sh('2026-03-02T09:40'));
    expect(c?.startedAt).toEqual(sh('2026-03-02T09:00'));
    expect(c?.dueAt).toEqual(sh('2026-03-02T10:00'));
  });

  it('a priority without a target cancels the clock; a cancelled ticket cancels it', () => {
    const facts: TimelineFact[] = [created('2026-03-02T09:00', 2), { at: sh('2026-03-02T10:00'), kind: 'priority', priority: 4 }];
    expect(deriveClock('resolution', rules(), allDay, facts, sh('2026-03-02T11:00'))?.state).toBe('cancelled');
    const cancelled = deriveClock('resolution', rules(), allDay, [created('2026-03-02T09:00'), to('2026-03-02T09:30', 'new', 'cancelled')], sh('2026-03-02T11:00'));
    expect(cancelled?.state).toBe('cancelled');
    expect(deriveClock('resolution', rules(), allDay, [created('2026-03-02T09:00', 4)], sh('2026-03-02T11:00'))).toBeNull();
  });

  it('ignores facts after now (replay as of an instant)', () => {
    const facts = [created('2026-03-02T09:00'), to('2026-03-02T10:00', 'new', 'resolved')];
    expect(deriveClock('resolution', rules(), office, facts, sh('2026-03-02T09:30'))?.state).toBe('running');
  });
});

describe('response clock', () => {
  it('stops at the first provider reply or acceptance, not at a customer action', () => {
    const facts: TimelineFact[] = [
      created('2026-03-02T09:00'),
      to('2026-03-02T09:05', 'new', 'assigned', null, true),
      { at: sh('2026-03-02T09:20'), kind: 'provider_reply' },
    ];
    const c = deriveClock('response', rules(), office, facts, sh('2026-03-02T10:00'));
    expect(c?.state).toBe('stopped');
    expect(c?.stoppedAt).toEqual(sh('2026-03-02T09:20'));
    expect(c?.elapsedBase).toBe(20);
    const taken = deriveClock('response', rules(), office, [created('2026-03-02T09:00'), to('2026-03-02T09:40', 'assigned', 'in_progress')], sh('2026-03-02T10:00'));
    expect(taken?.stoppedAt).toEqual(sh('2026-03-02T09:40'));
    expect(taken?.breached).toBe(true);
  });

  it('does not pause while pending', () => {
    const facts = [created('2026-03-02T09:00'), to('2026-03-02T09:05', 'new', 'pending', 'customer', false)];
    const c = deriveClock('response', rules(), office, facts, sh('2026-03-02T09:20'));
    expect(c?.state).toBe('running');
  });
});

describe('periodic update clock', () => {
  it('restarts at each provider reply and breaches per span', () => {
    const facts: TimelineFact[] = [
      created('2026-03-02T09:00', 1),
      { at: sh('2026-03-02T09:20'), kind: 'provider_reply' },
      { at: sh('2026-03-02T10:10'), kind: 'provider_reply' },
    ];
    const c = deriveClock('update', rules(), allDay, facts, sh('2026-03-02T10:20'));
    expect(c?.state).toBe('running');
    expect(c?.breachedAt).toEqual(sh('2026-03-02T09:50'));
    expect(c?.dueAt).toEqual(sh('2026-03-02T10:40'));
    const late = deriveClock('update', rules(), allDay, facts, sh('2026-03-02T10:45'));
    expect(late?.events.filter((e) => e.event === 'breach')).toHaveLength(2);
  });
});

describe('start and stop conditions', () => {
  const assign = (at: string, groupId: number | null): TimelineFact => ({ at: sh(at), kind: 'group', groupId, assigned: groupId !== null });

  it('an OLA starts when its group gets the ticket, paused if it arrives pending', () => {
    const ola = rules({ start: 'assigned', match: { types: ['incident'], groupIds: [7] } });
    const facts = [created('2026-03-02T09:00'), assign('2026-03-02T09:30', 3), assign('2026-03-02T10:00', 7)];
    const c = deriveClock('resolution', ola, allDay, facts, sh('2026-03-02T10:30'));
    expect(c?.startedAt).toEqual(sh('2026-03-02T10:00'));
    expect(c?.dueAt).toEqual(sh('2026-03-02T14:00'));
    expect(deriveClock('resolution', ola, allDay, facts.slice(0, 2), sh('2026-03-02T10:30'))).toBeNull();
    const pending = [created('2026-03-02T09:00'), to('2026-03-02T09:10', 'new', 'pending', 'vendor'), assign('2026-03-02T09:20', 7)];
    expect(deriveClock('resolution', ola, allDay, pending, sh('2026-03-02T10:00'))?.state).toBe('paused');
    // Any assignment when no group is named.
    const anyGroup = rules({ start: 'assigned' });
    expect(deriveClock('resolution', anyGroup, allDay, facts, sh('2026-03-02T10:30'))?.startedAt).toEqual(sh('2026-03-02T09:30'));
  });

  it('response can stop only at a public reply, and resolution only at closed', () => {
    const facts: TimelineFact[] = [
      created('2026-03-02T09:00'),
      to('2026-03-02T09:05', 'assigned', 'in_progress'),
      { at: sh('2026-03-02T09:40'), kind: 'provider_reply' },
      to('2026-03-02T10:00', 'in_progress', 'resolved'),
      to('2026-03-02T12:00', 'resolved', 'closed', null, false),
    ];
    expect(deriveClock('response', rules({ responseStop: 'reply' }), allDay, facts, sh('2026-03-02T13:00'))?.stoppedAt).toEqual(sh('2026-03-02T09:40'));
    expect(deriveClock('response', rules({ responseStop: 'accept' }), allDay, facts, sh('2026-03-02T13:00'))?.stoppedAt).toEqual(sh('2026-03-02T09:05'));
    const closed = deriveClock('resolution', rules({ resolutionStop: 'closed' }), allDay, facts, sh('2026-03-02T13:00'));
    expect(closed?.stoppedAt).toEqual(sh('2026-03-02T12:00'));
    expect(closed?.elapsedBase).toBe(180);
  });
});

describe('replay property', () => {
  it('elapsed at the due instant equals the target for any start on the office calendar', () => {
    for (let day = 1; day <= 28; day += 3) {
      for (const h of [0, 8, 9, 11, 12, 13, 17, 19]) {
        const start = `2026-09-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:17`;
        const c = deriveClock('resolution', rules(), office, [created(start, 3)], sh(start));
        if (!c?.dueAt) throw new Error('no due');
        expect(elapsedAt(c, office, c.dueAt)).toBeCloseTo(960, 6);
      }
    }
  });
});
