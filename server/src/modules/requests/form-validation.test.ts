import { describe, expect, it } from 'vitest';
import { formSchemaSchema, showIfHolds, visibleFieldKeys, type FormFieldInput } from '@tianshu/contracts';
import { checkFormSchema, validateSubmission } from './form-validation.ts';

const L = (zh: string) => ({ 'zh-CN': zh, 'en-US': zh });
const opt = (value: string) => ({ value, label: L(value) });
const form = (fields: FormFieldInput[]) => formSchemaSchema.parse({ fields });

const vpn = form([
  { key: 'reason', label: L('原因'), type: 'textarea', required: true, min: 5 },
  { key: 'start', label: L('开始'), type: 'date', required: true },
  { key: 'end', label: L('结束'), type: 'date', required: true },
  { key: 'scope', label: L('范围'), type: 'select', required: true, options: [opt('office'), opt('prod')] },
  { key: 'systems', label: L('系统'), type: 'multiselect', options: [opt('a'), opt('b'), opt('c')], max: 2, required: true, showIf: [{ field: 'scope', op: 'eq', value: 'prod' }] },
  { key: 'approver_note', label: L('说明'), type: 'text', showIf: [{ field: 'systems', op: 'in', value: ['c'] }] },
]);

const good = { reason: '出差需要远程办公', start: '2026-12-08', end: '2026-12-31', scope: 'office' };

describe('validateSubmission', () => {
  it('accepts good values and stores only filled-in visible fields in form order', () => {
    const r = validateSubmission(vpn, { scope: 'office', end: '2026-12-31', reason: '  出差需要远程办公 ', start: '2026-12-08' });
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.values)).toEqual(['reason', 'start', 'end', 'scope']);
    expect(r.values.reason).toBe('出差需要远程办公');
  });

  it('refuses unknown fields and missing required ones, each with its key', () => {
    const r = validateSubmission(vpn, { reason: '出差需要远程', bogus: 1 });
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { key: 'bogus', code: 'unknown_field' },
        { key: 'start', code: 'required' },
        { key: 'end', code: 'required' },
        { key: 'scope', code: 'required' },
      ]),
    );
    expect(r.errors).toHaveLength(4);
  });

  it('honours show-if: a hidden field is neither required nor stored, a shown one is', () => {
    const hidden = validateSubmission(vpn, { ...good, systems: ['a'], approver_note: 'x' });
    expect(hidden.errors).toEqual([]);
    expect(hidden.values).not.toHaveProperty('systems');
    expect(hidden.values).not.toHaveProperty('approver_note');
    const shownMissing = validateSubmission(vpn, { ...good, scope: 'prod' });
    expect(shownMissing.errors).toEqual([{ key: 'systems', code: 'required' }]);
    const cascade = validateSubmission(vpn, { ...good, scope: 'prod', systems: ['c', 'a'], approver_note: '核心库' });
    expect(cascade.errors).toEqual([]);
    expect(cascade.values.systems).toEqual(['a', 'c']);
    expect(cascade.values.approver_note).toBe('核心库');
  });

  it('checks options, counts, lengths and types', () => {
    const r = validateSubmission(vpn, { reason: '短', start: '2026-02-30', end: 20261231, scope: 'home' });
    expect(r.errors).toEqual([
      { key: 'reason', code: 'min' },
      { key: 'start', code: 'format' },
      { key: 'end', code: 'type' },
      { key: 'scope', code: 'option' },
    ]);
    const many = validateSubmission(vpn, { ...good, scope: 'prod', systems: ['a', 'b', 'c'] });
    expect(many.errors).toEqual([{ key: 'systems', code: 'max' }]);
    const dup = validateSubmission(vpn, { ...good, scope: 'prod', systems: ['a', 'a'] });
    expect(dup.errors).toEqual([{ key: 'systems', code: 'option' }]);
  });

  it('validates every field type', () => {
    const all = form([
      { key: 'n', label: L('n'), type: 'number', min: 1, max: 10 },
      { key: 'dt', label: L('dt'), type: 'datetime' },
      { key: 'cb', label: L('cb'), type: 'checkbox', required: true },
      { key: 'u', label: L('u'), type: 'user' },
      { key: 'g', label: L('g'), type: 'group' },
      { key: 'ci', label: L('ci'), type: 'ci' },
      { key: 'em', label: L('em'), type: 'email' },
      { key: 'ph', label: L('ph'), type: 'phone' },
      { key: 'ip', label: L('ip'), type: 'ip' },
      { key: 'code', label: L('code'), type: 'text', pattern: '[A-Z]{2}\\d{3}' },
    ]);
    const ok = validateSubmission(all, { n: 3, dt: '2026-12-08T09:30:00+08:00', cb: true, u: 5, g: 6, ci: 7, em: 'a@b.cn', ph: '+86 138-0000-0000', ip: '10.0.0.1', code: 'AB123' });
    expect(ok.errors).toEqual([]);
    expect(ok.values.dt).toBe('2026-12-08T01:30:00.000Z');
    expect(ok.refs).toEqual([
      { key: 'u', kind: 'user', id: 5 },
      { key: 'g', kind: 'group', id: 6 },
      { key: 'ci', kind: 'ci', id: 7 },
    ]);
    const bad = validateSubmission(all, { n: 11, dt: '2026-12-08 09:30', cb: false, u: '5', g: -1, ci: 1.5, em: 'nobody', ph: 'call me', ip: '10.0.0.300', code: 'ab123' });
    expect(bad.errors).toEqual([
      { key: 'n', code: 'max' },
      { key: 'dt', code: 'format' },
      { key: 'cb', code: 'required' },
      { key: 'u', code: 'type' },
      { key: 'g', code: 'type' },
      { key: 'ci', code: 'type' },
      { key: 'em', code: 'format' },
      { key: 'ph', code: 'format' },
      { key: 'ip', code: 'format' },
      { key: 'code', code: 'pattern' },
    ]);
    expect(bad.refs).toEqual([]);
    expect(validateSubmission(all, { n: '3' }).errors).toEqual([{ key: 'n', code: 'type' }, { key: 'cb', code: 'required' }]);
  });

  it('applies defaults to fields left out, and empty values count as missing', () => {
    const f = form([
      { key: 'scope', label: L('s'), type: 'select', options: [opt('a'), opt('b')], default: 'a' },
      { key: 'why', label: L('w'), type: 'text', required: true },
    ]);
    expect(validateSubmission(f, { why: 'x' }).values).toEqual({ scope: 'a', why: 'x' });
    expect(validateSubmission(f, { scope: null, why: '   ' }).errors).toEqual([{ key: 'why', code: 'required' }]);
    expect(validateSubmission(f, { scope: null, why: 'x' }).values).toEqual({ why: 'x' });
  });
});

describe('show-if', () => {
  it('evaluates eq, neq, in and set', () => {
    expect(showIfHolds({ field: 'a', op: 'eq', value: 'x' }, { a: 'x' })).toBe(true);
    expect(showIfHolds({ field: 'a', op: 'eq', value: 3 }, { a: 3 })).toBe(true);
    expect(showIfHolds({ field: 'a', op: 'eq', value: true }, { a: false })).toBe(false);
    expect(showIfHolds({ field: 'a', op: 'neq', value: 'x' }, {})).toBe(true);
    expect(showIfHolds({ field: 'a', op: 'neq', value: 'x' }, { a: 'x' })).toBe(false);
    expect(showIfHolds({ field: 'a', op: 'in', value: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(showIfHolds({ field: 'a', op: 'in', value: ['x', 'y'] }, { a: ['z', 'x'] })).toBe(true);
    expect(showIfHolds({ field: 'a', op: 'in', value: ['x'] }, {})).toBe(false);
    expect(showIfHolds({ field: 'a', op: 'set' }, { a: '' })).toBe(false);
    expect(showIfHolds({ field: 'a', op: 'set' }, { a: 0 })).toBe(true);
  });

  it('cascades: a field depending on a hidden field is hidden', () => {
    expect([...visibleFieldKeys(vpn, { scope: 'office', systems: ['c'] })]).toEqual(['reason', 'start', 'end', 'scope']);
    expect([...visibleFieldKeys(vpn, { scope: 'prod', systems: ['c'] })]).toContain('approver_note');
  });
});

describe('checkFormSchema', () => {
  it('accepts a good form', () => {
    expect(checkFormSchema(vpn)).toEqual([]);
  });

  it('reports each structural problem with the field key', () => {
    const bad = form([
      { key: 'a', label: L('a'), type: 'select' },
      { key: 'a', label: L('a2'), type: 'text', min: 5, max: 2 },
      { key: 'b', label: L('b'), type: 'text', pattern: '([a-z' },
      { key: 'c', label: L('c'), type: 'text', showIf: [{ field: 'later', op: 'set' }] },
      { key: 'd', label: L('d'), type: 'text', showIf: [{ field: 'a', op: 'in', value: 'x' }] },
      { key: 'e', label: L('e'), type: 'text', showIf: [{ field: 'f', op: 'eq', value: 'z' }] },
      { key: 'f', label: L('f'), type: 'multiselect', options: [opt('x'), opt('x')], default: ['nope'] },
      { key: 'g', label: L('g'), type: 'text', showIf: [{ field: 'f', op: 'eq', value: 'nope' }] },
      { key: 'h', label: L('h'), type: 'user', default: 3 },
      { key: 'later', label: L('l'), type: 'text' },
    ]);
    expect(checkFormSchema(bad)).toEqual([
      { code: 'OPTIONS_REQUIRED', key: 'a' },
      { code: 'DUPLICATE_KEY', key: 'a' },
      { code: 'RANGE', key: 'a' },
      { code: 'PATTERN', key: 'b' },
      { code: 'SHOW_IF_UNKNOWN_FIELD', key: 'c' },
      { code: 'SHOW_IF_VALUE', key: 'd' },
      { code: 'SHOW_IF_UNKNOWN_FIELD', key: 'e' },
      { code: 'DUPLICATE_OPTION', key: 'f' },
      { code: 'DEFAULT_INVALID', key: 'f' },
      { code: 'SHOW_IF_VALUE', key: 'g' },
      { code: 'DEFAULT_INVALID', key: 'h' },
    ]);
  });
});
