import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { enUS } from '../../app/i18n/en-us';
import { zhCN } from '../../app/i18n/zh-cn';
import { ageText, approvalEventColor, approvalEventText, ruleLabel, ticketPath } from './approval-format';

const i18n = i18next.createInstance();
await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, interpolation: { escapeValue: false } });
const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');

const label = { 'zh-CN': 'CAB 评审', 'en-US': 'CAB review' };
const stepLabel = { 'zh-CN': '委员会', 'en-US': 'Board' };

describe('approval timeline text', () => {
  it('describes every approval event in both languages', () => {
    const base = { approvalKey: 'cab', label, round: 2, step: 0, stepLabel };
    expect(approvalEventText(zh, 'zh-CN', { ...base, action: 'requested' }, null)).toBe('发起审批“CAB 评审”（第 2 轮，委员会）');
    expect(approvalEventText(en, 'en-US', { ...base, action: 'requested' }, null)).toBe('Approval "CAB review" requested (round 2, Board)');
    expect(approvalEventText(zh, 'zh-CN', { ...base, action: 'decided', decision: 'reject', via: 'link' }, '王经理')).toBe('王经理 拒绝了审批“CAB 评审”（委员会）（通过邮件链接）');
    expect(approvalEventText(en, 'en-US', { ...base, action: 'decided', decision: 'approve' }, 'Wang')).toBe('Wang: approve on "CAB review" (Board)');
    expect(approvalEventText(zh, 'zh-CN', { ...base, action: 'completed', outcome: 'approved' }, null)).toBe('审批“CAB 评审”（第 2 轮）已通过');
    expect(approvalEventText(en, 'en-US', { ...base, action: 'delegated', delegateName: 'Li' }, 'Wang')).toBe('Wang delegated the approval to Li');
    // Data written by an older server without labels falls back to the keys.
    expect(approvalEventText(en, 'en-US', { approvalKey: 'cab', round: 1, action: 'cancelled' }, null)).toBe('Approval "cab" (round 1) cancelled');
    expect(approvalEventColor({ action: 'decided', decision: 'reject' })).toBe('red');
    expect(approvalEventColor({ action: 'completed', outcome: 'approved' })).toBe('green');
  });

  it('labels rules, ages and ticket paths', () => {
    expect(ruleLabel(zh, { type: 'all' })).toBe('会签（全部同意）');
    expect(ruleLabel(en, { type: 'count', count: 3 })).toBe('At least 3 approvers');
    expect(ageText(en, 125)).toBe('2 h 5 min');
    expect(ticketPath('change', 7)).toBe('/changes/7');
    expect(ticketPath('repair', 7)).toBe('/repairs/7');
    expect(ticketPath('unknown', 7)).toBe('/incidents/7');
  });
});
