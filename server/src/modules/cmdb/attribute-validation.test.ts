import { describe, expect, it } from 'vitest';
import type { CiAttributeDef } from '@tianshu/contracts';
import { diffSnapshots, renderName, validateAttributes } from './attribute-validation.ts';

const def = (d: Partial<CiAttributeDef> & Pick<CiAttributeDef, 'key' | 'type'>): CiAttributeDef => ({ label: d.key, required: false, unique: false, indexed: false, ...d });
const schema = [
  def({ key: 'os', type: 'string', required: true }),
  def({ key: 'cores', type: 'number' }),
  def({ key: 'virtual', type: 'boolean' }),
  def({ key: 'warranty', type: 'date' }),
  def({ key: 'env', type: 'enum', enumValues: ['生产', '测试'] }),
  def({ key: 'host', type: 'reference', refClassKey: 'server' }),
  def({ key: 'mgmt_ip', type: 'ip' }),
];

describe('validateAttributes', () => {
  it('accepts and normalises good values', () => {
    const r = validateAttributes(schema, { os: ' 麒麟 V10 ', cores: 8, virtual: true, warranty: '2028-02-29', env: '生产', host: 12, mgmt_ip: ' FE80::1 ' });
    expect(r.issues).toEqual([]);
    expect(r.values).toEqual({ os: '麒麟 V10', cores: 8, virtual: true, warranty: '2028-02-29', env: '生产', host: 12, mgmt_ip: 'fe80::1' });
  });

  it('reports each kind of bad value in both languages', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ os: 'x', cores: '8' }, 'cores'],
      [{ os: 'x', virtual: 'yes' }, 'virtual'],
      [{ os: 'x', warranty: '2027-02-29' }, 'warranty'],
      [{ os: 'x', warranty: '2027/01/01' }, 'warranty'],
      [{ os: 'x', env: '开发' }, 'env'],
      [{ os: 'x', host: 'abc' }, 'host'],
      [{ os: 'x', mgmt_ip: '10.0.0.256' }, 'mgmt_ip'],
      [{ os: 'x', cores: Number.NaN }, 'cores'],
      [{ cores: 1 }, 'os'],
      [{ os: '   ' }, 'os'],
      [{ os: 'x', colour: 'red' }, 'colour'],
    ];
    for (const [values, key] of cases) {
      const r = validateAttributes(schema, values);
      expect(r.issues.map((i) => i.key), JSON.stringify(values)).toEqual([key]);
      expect(r.issues[0]?.zh).toBeTruthy();
      expect(r.issues[0]?.en).toBeTruthy();
    }
  });

  it('merges a patch into stored values; null removes, unknown stored keys drop', () => {
    const r = validateAttributes(schema, { cores: null, env: '测试' }, { os: 'CentOS', cores: 4, gone: 1 });
    expect(r.issues).toEqual([]);
    expect(r.values).toEqual({ os: 'CentOS', env: '测试' });
    expect(validateAttributes(schema, { os: null }, { os: 'CentOS' }).issues.map((i) => i.key)).toEqual(['os']);
  });
});

describe('renderName', () => {
  it('fills fields and attributes, null when a part is missing', () => {
    expect(renderName('{hostname}', { hostname: 'db-01', attributes: {} })).toBe('db-01');
    expect(renderName('{attr.room}-{attr.rack_no}', { attributes: { room: 'A3', rack_no: 12 } })).toBe('A3-12');
    expect(renderName('{attr.room}-{attr.rack_no}', { attributes: { room: 'A3' } })).toBeNull();
    expect(renderName('{hostname}', { hostname: null, attributes: {} })).toBeNull();
  });
});

describe('diffSnapshots', () => {
  it('lists changed fields and attributes', () => {
    const a = { name: 'a', status: 'planned', ip: null, attributes: { os: 'x', cores: 4 } };
    const b = { name: 'a', status: 'in_use', ip: '10.0.0.1', attributes: { os: 'x', env: '生产' } };
    expect(diffSnapshots(a, b)).toEqual([
      { field: 'status', from: 'planned', to: 'in_use' },
      { field: 'ip', from: null, to: '10.0.0.1' },
      { field: 'attr.cores', from: 4, to: null },
      { field: 'attr.env', from: null, to: '生产' },
    ]);
    expect(diffSnapshots(a, a)).toEqual([]);
  });
});
