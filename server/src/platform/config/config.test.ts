import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { localeFromHeader } from '../i18n/locale.ts';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, sessionIdleMinutes: 30, lockoutThreshold: 5, auditRetentionDays: 365 });
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1,10.0.0.2' }).trustProxy).toBe('10.0.0.1,10.0.0.2');
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });
  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', AUDIT_RETENTION_DAYS: '30' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/AUDIT_RETENTION_DAYS.*180/);
    }
  });
  it('picks the language from Accept-Language, Chinese first', () => {
    expect(localeFromHeader(undefined)).toBe('zh-CN');
    expect(localeFromHeader('en-US,en;q=0.9')).toBe('en-US');
    expect(localeFromHeader('fr-FR,en;q=0.5,zh;q=0.8')).toBe('zh-CN');
    expect(localeFromHeader('de')).toBe('zh-CN');
  });
});
