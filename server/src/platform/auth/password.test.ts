import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './password.ts';
import { permissionsOf, violatesRoleSeparation } from './rbac.ts';

const policy = { minLength: 8, minClasses: 3 };

describe('password policy', () => {
  it('needs the length and three of four character classes', () => {
    expect(checkPasswordPolicy('Abcdef1!', policy)).toBe(true);
    expect(checkPasswordPolicy('abcdef12', policy)).toBe(false);
    expect(checkPasswordPolicy('Ab1!', policy)).toBe(false);
    expect(checkPasswordPolicy('运维密码Abc12', policy)).toBe(true);
  });
  it('generates passwords that pass the policy', () => {
    for (let i = 0; i < 50; i++) expect(checkPasswordPolicy(generatePassword(), policy)).toBe(true);
  });
  it('hashes with argon2id and tells long Chinese passwords apart', async () => {
    const a = '这是一个非常长的中文密码'.repeat(4) + 'A1';
    const b = '这是一个非常长的中文密码'.repeat(4) + 'A2';
    const h = await hashPassword(a);
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, a)).toBe(true);
    expect(await verifyPassword(h, b)).toBe(false);
    expect(await verifyPassword('not-a-hash', a)).toBe(false);
  });
});

describe('roles', () => {
  it('keeps the three admin roles apart and the audit log with the audit admin only', () => {
    expect(violatesRoleSeparation(['system_admin', 'audit_admin'])).toBe(true);
    expect(violatesRoleSeparation(['system_admin', 'engineer'])).toBe(false);
    expect(permissionsOf(['system_admin'])).not.toContain('audit.read');
    expect(permissionsOf(['audit_admin'])).toEqual(['audit.read']);
    expect(permissionsOf(['customer'])).not.toContain('ticket.internal');
  });
});
