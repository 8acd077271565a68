import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { enUS } from '../../app/i18n/en-us';
import { zhCN } from '../../app/i18n/zh-cn';
import { badgeView, formatDuration, progressPercent, slaEventText, targetsSummary } from './sla-format';

let zh: TFunction;
let en: TFunction;

beforeAll(async () => {
  const make = async (lng: string) => {
    const instance = i18next.createInstance();
    await instance.init({
      lng,
      resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    return instance.t;
  };
  zh = await make('zh-CN');
  en = await make('en-US');
});

const badge = (over: Partial<Parameters<typeof badgeView>[1]> = {}) => ({
  state: 'running' as const,
  breached: false,
  percent: 10,
  remainingMinutes: 135,
  pauseReason: null,
  ...over,
});

describe('SLA display helpers', () => {
  it('formats business durations in hours and minutes', () => {
    expect([formatDuration(zh, 135), formatDuration(zh, 240), formatDuration(zh, 35), formatDuration(zh, -35.4), formatDuration(zh, 0)]).toEqual([
      '2小时15分',
      '4小时',
      '35分',
      '35分',
      '0分',
    ]);
    expect(formatDuration(en, 135)).toBe('2h 15m');
  });

  it('colours a badge green, orange from 75 %, red once breached, and words pauses and stops', () => {
    expect(badgeView(zh, badge())).toEqual({ tone: 'ok', text: '剩余 2小时15分' });
    expect(badgeView(zh, badge({ percent: 75, remainingMinutes: 60 }))).toEqual({ tone: 'warning', text: '剩余 1小时' });
    expect(badgeView(zh, badge({ breached: true, percent: 115, remainingMinutes: -35 }))).toEqual({ tone: 'breached', text: '已超时 35分' });
    expect(badgeView(zh, badge({ state: 'paused', pauseReason: 'customer' }))).toEqual({ tone: 'paused', text: '已暂停（等待客户）' });
    expect(badgeView(zh, badge({ state: 'paused', pauseReason: 'customer', breached: true })).tone).toBe('breached');
    expect(badgeView(zh, badge({ state: 'stopped' }))).toEqual({ tone: 'done', text: '已达成' });
    expect(badgeView(zh, badge({ state: 'stopped', breached: true }))).toEqual({ tone: 'breached', text: '已超时' });
    expect(badgeView(zh, badge({ state: 'cancelled' })).tone).toBe('cancelled');
    expect(badgeView(en, badge({ state: 'paused', pauseReason: 'vendor' })).text).toBe(`Paused (${en('pendingReason.vendor')})`);
  });

  it('summarises targets per priority and clamps progress', () => {
    const lines = targetsSummary(zh, {
      targets: [
        { priority: 2, responseMinutes: 30, resolutionMinutes: 240, updateMinutes: null },
        { priority: 1, responseMinutes: 15, resolutionMinutes: 60, updateMinutes: null },
      ],
    });
    expect(lines).toEqual(['P1 响应 15分 / 解决 1小时', 'P2 响应 30分 / 解决 4小时']);
    expect([progressPercent(-3), progressPercent(42.345), progressPercent(180), progressPercent(Number.NaN)]).toEqual([0, 42.3, 100, 0]);
  });

  it('words SLA timeline events', () => {
    const names = new Map([[7, '标准服务']]);
    const base = { definitionId: 7, definition: '标准服务', metric: 'resolution' };
    expect(slaEventText(zh, { ...base, event: 'pause', reason: 'customer' })).toBe('SLA「标准服务」解决时限 已暂停：等待客户');
    expect(slaEventText(zh, { ...base, event: 'breach' })).toBe('SLA「标准服务」解决时限 已超时');
    expect(slaEventText(zh, { ...base, event: 'start', targetMinutes: 240 })).toBe('SLA「标准服务」解决时限 开始计时，目标 4小时');
    expect(slaEventText(zh, { ...base, event: 'stop', reason: 'resolved' })).toBe('SLA「标准服务」解决时限 已停止计时（已解决）');
    expect(slaEventText(zh, { ...base, event: 'retarget', from: 3, to: 1 })).toBe('SLA「标准服务」解决时限 随优先级调整目标：P3 三级 → P1 一级');
    // Warnings and escalations carry the id only: the name comes from the clocks.
    expect(slaEventText(zh, { definitionId: 7, metric: 'resolution', event: 'warning', pct: 75 }, names)).toBe('SLA「标准服务」解决时限 达到 75% 预警');
    expect(slaEventText(zh, { definitionId: 7, metric: 'response', event: 'escalation', pct: 100, actions: ['notify', 'raise_priority'] }, names)).toBe(
      'SLA「标准服务」响应时限 达到 100%，已升级：已通知、已提升优先级',
    );
    expect(slaEventText(zh, { definitionId: 8, metric: 'update', event: 'warning', pct: 50 }, names)).toBe('SLA 更新时限 达到 50% 预警');
    expect(slaEventText(zh, { event: 'replay', changes: [{}, {}] })).toBe('SLA 计时已重放（2 项变化）');
    expect(slaEventText(en, { ...base, event: 'pause', reason: 'customer' })).toBe(`SLA “标准服务” resolution time paused: ${en('pendingReason.customer')}`);
  });
});
