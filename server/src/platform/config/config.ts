import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIANSHU_ADMIN_PASSWORD: z.string().min(1).max(256).optional(),
  PUBLIC_URL: z.url().optional(),
  COOKIE_SECURE: bool.optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(8),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(180, 'the audit log is kept for at least 180 days (等保 2.0)')
    .default(365),
  AUDIT_SEAL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  AUTO_CLOSE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  JOBS_ENABLED: bool.default(true),
  /** Behind a load balancer: 'true', a hop count, or the proxies' addresses (comma separated). */
  TRUST_PROXY: z.string().max(500).optional(),
  WEB_DIST_DIR: z.string().optional(),
  /** Outgoing mail for notifications, e.g. smtp://user:pass@mail.example.com:587 or smtps://...:465; unset = no e-mail. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: z.string().min(3).max(300).default('天枢 Tianshu <noreply@tianshu.local>'),
});

export type AppConfig = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  adminPassword: string | undefined;
  publicUrl: string | undefined;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  passwordMinLength: number;
  passwordMinClasses: number;
  attachmentMaxBytes: number;
  bodyLimitBytes: number;
  auditRetentionDays: number;
  auditSealIntervalSeconds: number;
  autoCloseDays: number;
  jobsEnabled: boolean;
  trustProxy: boolean | number | string;
  webDistDir: string;
  smtpUrl: string | undefined;
  smtpFrom: string;
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates every setting at once so a bad boot lists all problems together. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const repoRoot = path.resolve(import.meta.dirname, '../../../..');
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    adminPassword: e.TIANSHU_ADMIN_PASSWORD,
    publicUrl: e.PUBLIC_URL,
    cookieSecure: e.COOKIE_SECURE ?? (e.PUBLIC_URL?.startsWith('https://') ?? false),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    lockoutThreshold: e.LOCKOUT_THRESHOLD,
    lockoutMinutes: e.LOCKOUT_MINUTES,
    passwordMinLength: e.PASSWORD_MIN_LENGTH,
    passwordMinClasses: e.PASSWORD_MIN_CLASSES,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    auditSealIntervalSeconds: e.AUDIT_SEAL_INTERVAL_SECONDS,
    autoCloseDays: e.AUTO_CLOSE_DAYS,
    jobsEnabled: e.JOBS_ENABLED,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    webDistDir: e.WEB_DIST_DIR ? path.resolve(e.WEB_DIST_DIR) : path.join(repoRoot, 'web/dist'),
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
  };
}

function parseTrustProxy(v: string | undefined): boolean | number | string {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
