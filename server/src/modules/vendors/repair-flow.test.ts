import { describe, expect, it } from 'vitest';
import { evaluationGrade, evaluationTotal, REPAIR_STATUSES, type RepairStatus } from '@tianshu/contracts';
import { actionsFrom, addDays, checkTransition, daysBetween, isOverdue, missingFields, shanghaiDate, turnaroundHours } from './repair-flow.ts';
import { creditCodeCheckChar, isValidCreditCode } from './credit-code.ts';

describe('repair flow', () => {
  it('walks the in-warranty path and refuses cost steps', () => {
    const o = (status: RepairStatus) => ({ status, inWarranty: true });
    expect(checkTransition(o('open'), 'send')).toEqual({ ok: true, to: 'sent_to_vendor' });
    expect(checkTransition(o('sent_to_vendor'), 'return')).toEqual({ ok: true, to: 'returned' });
    expect(checkTransition(o('returned'), 'close')).toEqual({ ok: true, to: 'closed' });
    expect(checkTransition(o('open'), 'estimate').ok).toBe(false);
    expect(checkTransition(o('open'), 'start').ok).toBe(false);
    expect(actionsFrom(o('open')).sort()).toEqual(['cancel', 'send']);
  });

  it('walks the out-of-warranty path and needs approval before the repair starts', () => {
    const o = (status: RepairStatus) => ({ status, inWarranty: false });
    expect(checkTransition(o('open'), 'send').ok).toBe(false);
    expect(checkTransition(o('open'), 'estimate')).toEqual({ ok: true, to: 'cost_pending' });
    expect(checkTransition(o('cost_pending'), 'approve')).toEqual({ ok: true, to: 'approved' });
    expect(checkTransition(o('cost_pending'), 'reject')).toEqual({ ok: true, to: 'rejected' });
    expect(checkTransition(o('rejected'), 'estimate')).toEqual({ ok: true, to: 'cost_pending' });
    expect(checkTransition(o('rejected'), 'close')).toEqual({ ok: true, to: 'closed' });
    expect(checkTransition(o('approved'), 'start')).toEqual({ ok: true, to: 'in_repair' });
    expect(checkTransition(o('in_repair'), 'return')).toEqual({ ok: true, to: 'returned' });
    for (const s of ['open', 'cost_pending', 'rejected'] as const) expect(checkTransition(o(s), 'start')).toEqual({ ok: false, reason: 'approval_required' });
    expect(checkTransition(o('closed'), 'start')).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('cancels from every non-final state only', () => {
    for (const s of REPAIR_STATUSES) {
      for (const w of [true, false]) expect(checkTransition({ status: s, inWarranty: w }, 'cancel').ok).toBe(s !== 'closed' && s !== 'cancelled');
    }
  });

  it('lists the fields each action needs', () => {
    expect(missingFields({ status: 'open' }, 'send', {})).toEqual(['rmaNumber']);
    expect(missingFields({ status: 'open' }, 'estimate', {})).toEqual(['estimatedCost']);
    expect(missingFields({ status: 'cost_pending' }, 'reject', { comment: '' })).toEqual(['comment']);
    expect(missingFields({ status: 'cost_pending' }, 'approve', {})).toEqual([]);
    expect(missingFields({ status: 'returned' }, 'close', {})).toEqual(['outcome']);
    expect(missingFields({ status: 'rejected' }, 'close', {})).toEqual([]);
  });

  it('measures turnaround from sent or approved to returned, and overdue against resolution hours', () => {
    const t0 = new Date('2026-11-01T00:00:00Z');
    const back = new Date('2026-11-03T12:00:00Z');
    const now = new Date('2026-11-10T00:00:00Z');
    expect(turnaroundHours({ inWarranty: true, sentAt: t0, approvedAt: null, returnedAt: back, status: 'returned' }, now)).toBe(60);
    expect(turnaroundHours({ inWarranty: false, sentAt: null, approvedAt: t0, returnedAt: null, status: 'in_repair' }, now)).toBe(216);
    expect(turnaroundHours({ inWarranty: false, sentAt: null, approvedAt: null, returnedAt: null, status: 'open' }, now)).toBeNull();
    const out = { inWarranty: true, sentAt: t0, approvedAt: null, returnedAt: null, status: 'sent_to_vendor' as const };
    expect(isOverdue(out, 48, now)).toBe(true);
    expect(isOverdue(out, 240, now)).toBe(false);
    expect(isOverdue(out, null, now)).toBe(false);
    expect(isOverdue({ ...out, status: 'returned', returnedAt: back }, 48, now)).toBe(false);
  });

  it('uses China calendar days', () => {
    expect(shanghaiDate(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(shanghaiDate(new Date('2026-11-23T15:59:00Z'))).toBe('2026-11-23');
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
  });
});

describe('统一社会信用代码 check character (GB 32100)', () => {
  it('accepts real codes and refuses a wrong check character, length or letter', () => {
    for (const c of ['91350100M000100Y43', '91440300708461136T', '9144030071526726XG']) expect(isValidCreditCode(c)).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    // I, O, S, V, Z are not in the code alphabet.
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('short')).toBeNull();
  });
});

describe('vendor evaluation', () => {
  it('weights 30/25/15/20/10 and grades A >= 90, B >= 75, C >= 60, else D', () => {
    expect(evaluationTotal({ quality: 100, response: 100, price: 100, service: 100, compliance: 100 })).toBe('100.00');
    expect(evaluationTotal({ quality: 91, response: 88, price: 73, service: 95, compliance: 67 })).toBe('85.95');
    expect(evaluationTotal({ quality: 0, response: 0, price: 0, service: 0, compliance: 1 })).toBe('0.10');
    expect(evaluationGrade('90.00')).toBe('A');
    expect(evaluationGrade('89.99')).toBe('B');
    expect(evaluationGrade('75.00')).toBe('B');
    expect(evaluationGrade('74.99')).toBe('C');
    expect(evaluationGrade('60.00')).toBe('C');
    expect(evaluationGrade('59.99')).toBe('D');
  });
});
