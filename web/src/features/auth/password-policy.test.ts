import { describe, expect, it } from 'vitest';
import { meetsPasswordPolicy } from './password-policy';
import { checkPasswordPolicy } from '../../../../server/src/platform/auth/password.ts';

describe('client password policy', () => {
  it('agrees with the server policy', () => {
    for (const p of ['Abcdef1!', 'abcdef12', 'Ab1!', '运维密码Abc12', 'ABCDEFG1', 'abcdefg!', '12345678!a']) {
      expect(meetsPasswordPolicy(p), p).toBe(checkPasswordPolicy(p, { minLength: 8, minClasses: 3 }));
    }
  });
});
