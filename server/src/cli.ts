#!/usr/bin/env node
// `tianshu` command (also `npm run cli -- ...`). With PGlite, stop the server first: one process owns the data directory.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { roleSchema, type Role } from '@tianshu/contracts';
import { ConfigError, loadConfig } from './platform/config/config.ts';
import { migrateDatabase, openDatabase, rows } from './platform/db/db.ts';
import { systemActor } from './platform/auth/actor.ts';
import { sealAudit, verifyAudit } from './platform/audit/audit.service.ts';
import { createUser, resetPassword } from './modules/directory/directory.service.ts';
import { seedDemo } from './cli/seed-demo.ts';
import { buildTemplate } from './modules/cmdb/cmdb-import.service.ts';
import { AppError, formatError } from './platform/errors/error-registry.ts';

const HELP = `tianshu <command>

  migrate                              apply database migrations
  seed --demo [--incidents N]          demo organisations, users for every role, ~200 incidents
  user create --username U --name N --org-code C --roles r1,r2 [--password P]
  user reset-password --username U     new one-time password, forced change at next sign-in
  audit seal                           seal pending audit rows now
  audit verify                         check the audit hash chain; exit 1 if broken
  cmdb template [--out F] [--org-code C]  sample CMDB import workbook (default cmdb-template.xlsx)

Environment: DATA_DIR (PGlite, default ./data) or DATABASE_URL (PostgreSQL).`;

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      incidents: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      'org-code': { type: 'string' },
      roles: { type: 'string' },
      password: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, sub] = positionals;
  if (!cmd || values.help) {
    process.stdout.write(`${HELP}\n`);
    return cmd ? 0 : 1;
  }
  if (cmd === 'cmdb' && sub === 'template') {
    // No database needed: the template holds the built-in classes.
    const file = values.out ?? 'cmdb-template.xlsx';
    fs.writeFileSync(file, await buildTemplate({ orgCode: values['org-code'] ?? 'PROVIDER' }));
    process.stdout.write(`CMDB import template written to ${file}\n`);
    return 0;
  }
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    await migrateDatabase(database);
    const db = database.db;
    const actor = systemActor();
    if (cmd === 'migrate') {
      out('Migrations applied.');
      return 0;
    }
    if (cmd === 'seed' && values.demo) {
      const r = await seedDemo(db, { incidents: values.incidents ? Number(values.incidents) : 200, log: out });
      if (r) {
        out(`Demo data created. Password for every demo user (admin keeps its own): ${r.password}`);
        if (r.admin) out(`First admin: ${r.admin.username} / ${r.admin.password} (change it at first sign-in)`);
        for (const u of r.users) out(`  ${u.username.padEnd(16)} ${u.roles.join(',')}`);
      }
      await sealAudit(db, { settleMs: 0 });
      return 0;
    }
    if (cmd === 'user' && sub === 'create') {
      const roles = (values.roles ?? '').split(',').filter(Boolean).map((r) => roleSchema.parse(r) as Role);
      const orgs = await rows<{ id: number }>(db, sql`SELECT id FROM organizations WHERE code = ${values['org-code'] ?? 'PROVIDER'}`);
      const orgId = orgs[0]?.id;
      if (!values.username || !values.name || !orgId || roles.length === 0) {
        out('user create needs --username, --name, --roles and an existing --org-code');
        return 2;
      }
      const r = await createUser({ db, config }, actor, {
        username: values.username,
        displayName: values.name,
        orgId: Number(orgId),
        roles,
        ...(values.password ? { password: values.password } : {}),
      });
      out(`Created ${r.user.user.username} (id ${r.user.user.id}).${r.password ? ` One-time password: ${r.password}` : ''}`);
      return 0;
    }
    if (cmd === 'user' && sub === 'reset-password') {
      const found = await rows<{ id: number }>(db, sql`SELECT id FROM users WHERE lower(username) = lower(${values.username ?? ''})`);
      const id = found[0]?.id;
      if (!id) {
        out(`No user ${values.username ?? ''}`);
        return 2;
      }
      const r = await resetPassword(db, actor, Number(id));
      out(`New one-time password for ${r.user.user.username}: ${r.password} (must be changed at next sign-in)`);
      return 0;
    }
    if (cmd === 'audit' && sub === 'seal') {
      out(`Sealed ${await sealAudit(db, { settleMs: 0 })} rows.`);
      return 0;
    }
    if (cmd === 'audit' && sub === 'verify') {
      await sealAudit(db);
      const r = await verifyAudit(db);
      if (r.ok) {
        out(`Audit chain OK: ${r.checked} sealed rows verified, ${r.unsealed} not yet sealed.`);
        return 0;
      }
      const b = r.firstBroken;
      out(`Audit chain BROKEN at seal #${b?.sealSeq ?? '?'}${b?.id ? ` (row id ${b.id})` : ''}: ${b?.reason ?? ''}. ${r.checked} rows verified before it.`);
      return 1;
    }
    out(HELP);
    return 2;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof AppError) process.stderr.write(`${err.code}: ${formatError(err.code, 'zh-CN', err.params)}\n`);
    else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
