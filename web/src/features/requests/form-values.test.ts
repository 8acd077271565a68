import { describe, expect, it } from 'vitest';
import { formSchemaSchema, type FormFieldInput } from '@tianshu/contracts';
import { initialValues, move, newField, renameField, submittableValues } from './form-values';

const L = (zh: string) => ({ 'zh-CN': zh, 'en-US': zh });
const fields = (list: FormFieldInput[]) => formSchemaSchema.parse({ fields: list }).fields;

const vpn = fields([
  { key: 'scope', label: L('范围'), type: 'select', options: [{ value: 'office', label: L('办公') }, { value: 'prod', label: L('生产') }], default: 'office' },
  { key: 'systems', label: L('系统'), type: 'text', required: true, showIf: [{ field: 'scope', op: 'eq', value: 'prod' }] },
  { key: 'note', label: L('备注'), type: 'textarea' },
  { key: 'tags', label: L('标签'), type: 'multiselect', options: [{ value: 'a', label: L('a') }] },
]);

describe('request form values', () => {
  it('starts from the defaults', () => {
    expect(initialValues(vpn)).toEqual({ scope: 'office' });
  });

  it('submits only shown, filled-in fields', () => {
    expect(submittableValues(vpn, { scope: 'office', systems: '核心', note: '  ', tags: [] })).toEqual({ scope: 'office' });
    expect(submittableValues(vpn, { scope: 'prod', systems: '核心', note: 'x', tags: ['a'] })).toEqual({ scope: 'prod', systems: '核心', note: 'x', tags: ['a'] });
  });
});

describe('form designer helpers', () => {
  it('adds fields with free keys and moves them within bounds', () => {
    const f = newField([...vpn, { ...vpn[0]!, key: 'field_5' }]);
    expect(f.key).toBe('field_6');
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });

  it('renames a field together with the show-if rules that refer to it', () => {
    const next = renameField(vpn, 0, 'access_scope');
    expect(next[0]!.key).toBe('access_scope');
    expect(next[1]!.showIf).toEqual([{ field: 'access_scope', op: 'eq', value: 'prod' }]);
    expect(next[2]).toBe(vpn[2]);
  });
});
