import { describe, expect, it } from 'vitest';
import { budgetLevel, formatPct, formatRate, hoursFromTargetPct, progressPercent, splitMinutes, targetPctFromHours } from './service-format';

describe('service number formatting', () => {
  it('converts a yearly budget to a target on 8760 hours', () => {
    expect(formatPct(targetPctFromHours(20))).toBe('99.7717');
    expect(hoursFromTargetPct(99.9)).toBeCloseTo(8.76, 10);
    expect(formatPct(100)).toBe('100');
    expect(formatPct(99.5, 3)).toBe('99.5');
  });

  it('splits minutes, bands budgets and rounds burn rates', () => {
    expect(splitMinutes(125.4)).toEqual({ hours: 2, minutes: 5 });
    expect(splitMinutes(-59.6)).toEqual({ hours: 1, minutes: 0 });
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent(130)).toBe(100);
    expect([budgetLevel(null), budgetLevel(49.9), budgetLevel(50), budgetLevel(75), budgetLevel(100)]).toEqual(['ok', 'ok', 'warning', 'danger', 'exhausted']);
    expect([formatRate(0), formatRate(0.0042), formatRate(1.53), formatRate(12.4)]).toEqual(['0', '0.004', '1.5', '12']);
  });
});
