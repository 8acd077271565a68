import crypto from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '@tianshu/contracts';
import type { Db } from '../platform/db/db.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { insertGroup, insertOrganization, insertUser, setGroupMembers, setGroupOrgs } from '../modules/directory/directory.queries.ts';

export const TEST_PASSWORD = 'Test-Passw0rd!';
let passwordHash: Promise<string> | undefined;

export const uniq = (prefix: string) => `${prefix}${crypto.randomBytes(5).toString('hex')}`;

export async function makeOrg(db: Db, kind: 'provider' | 'customer' = 'customer', name?: string) {
  const code = uniq(kind === 'provider' ? 'P' : 'C');
  return insertOrganization(db, { name: name ?? `客户-${code}`, code, kind });
}

export async function makeUser(db: Db, orgId: number, roles: Role[], opts: { username?: string; mustChangePassword?: boolean; password?: string } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = opts.password ? await hashPassword(opts.password) : await passwordHash;
  return insertUser(db, {
    orgId,
    username: opts.username ?? uniq('u'),
    displayName: `用户${uniq('')}`,
    passwordHash: hash,
    roles,
    mustChangePassword: opts.mustChangePassword ?? false,
  });
}

export async function makeGroup(db: Db, memberIds: number[], orgIds: number[]) {
  const g = await insertGroup(db, { name: uniq('组') });
  await setGroupMembers(db, g.id, memberIds);
  await setGroupOrgs(db, g.id, orgIds);
  return g;
}

/** A signed-in HTTP client: cookie session plus CSRF header on writes. */
export type Client = {
  userId: number;
  username: string;
  csrf: string;
  cookie: string;
  req(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
};

export async function login(app: FastifyInstance, username: string, password = TEST_PASSWORD, userId = 0): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const me = JSON.parse(res.body) as { csrfToken: string; id: number };
  const setCookie = res.cookies.find((c) => c.name === 'tianshu_sid');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `tianshu_sid=${setCookie.value}`;
  const req = (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { cookie, 'x-csrf-token': me.csrfToken, ...(opts.headers ?? {}) } });
  return {
    userId: userId || me.id,
    username,
    csrf: me.csrfToken,
    cookie,
    req,
    get: (url) => req({ method: 'GET', url }),
    post: (url, payload, headers) => req({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }), ...(headers ? { headers } : {}) }),
    patch: (url, payload) => req({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    put: (url, payload) => req({ method: 'PUT', url, payload: payload as InjectOptions['payload'] }),
    del: (url) => req({ method: 'DELETE', url }),
  };
}

/** A provider, two customers, a group serving the first customer, and a user for every role. */
export async function makeWorld(app: FastifyInstance, db: Db) {
  const provider = await makeOrg(db, 'provider', `服务商-${uniq('')}`);
  const custA = await makeOrg(db, 'customer');
  const custB = await makeOrg(db, 'customer');
  const users = {
    sysadmin: await makeUser(db, provider.id, ['system_admin']),
    secadmin: await makeUser(db, provider.id, ['security_admin']),
    auditor: await makeUser(db, provider.id, ['audit_admin']),
    agent: await makeUser(db, provider.id, ['agent']),
    engineer: await makeUser(db, provider.id, ['engineer']),
    outsider: await makeUser(db, provider.id, ['engineer']),
    manager: await makeUser(db, provider.id, ['manager']),
    customerA: await makeUser(db, custA.id, ['customer']),
    customerB: await makeUser(db, custB.id, ['customer']),
  };
  const group = await makeGroup(db, [users.engineer.id], [custA.id]);
  const otherGroup = await makeGroup(db, [users.outsider.id], [custB.id]);
  const as = async (who: keyof typeof users) => login(app, users[who].username, TEST_PASSWORD, users[who].id);
  return { provider, custA, custB, users, group, otherGroup, as };
}
