import fs from 'node:fs';
import Fastify from 'fastify';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { ERROR_REGISTRY } from '../errors/error-registry.ts';
import { renderErrorsDoc } from '../errors/errors-doc.ts';
import { registerAuthHooks } from '../auth/auth.hooks.ts';

type Err = { error: { code: string; message: string; details?: { path: string }[] } };
const world = useTestWorld({ BODY_LIMIT_BYTES: '65536' });

describe('health and docs', () => {
  it('answers /healthz, /readyz and the OpenAPI document', async () => {
    expect((await world.t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect(json<{ status: string }>(await world.t.app.inject({ url: '/readyz' })).status).toBe('ok');
    const doc = json<{ openapi: string; paths: Record<string, unknown> }>(await world.t.app.inject({ url: '/api/openapi.json' }));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/tickets');
    expect((await world.t.app.inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with INVALID_JSON', async () => {
    const c = await world.w.as('agent');
    const r = await c.req({ method: 'POST', url: '/api/tickets', headers: { 'content-type': 'application/json' }, payload: '{"title": "x",' });
    expect(r.statusCode).toBe(400);
    expect(json<Err>(r).error.code).toBe('INVALID_JSON');
  });

  it('answers wrong types and unknown fields with VALIDATION_FAILED in the user language', async () => {
    const c = await world.w.as('agent');
    const r = await c.post('/api/tickets', { title: 123, orgId: 'abc' });
    expect(r.statusCode).toBe(400);
    const e = json<Err>(r).error;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/请求内容不合法/);
    expect(e.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['title', 'orgId']));
    const unknown = await c.post('/api/tickets', { title: 'ok', orgId: world.w.custA.id, hacker: true });
    expect(unknown.statusCode).toBe(400);
    await c.patch('/api/auth/me', { locale: 'en-US' });
    const en = await c.post('/api/tickets', { title: '' });
    expect(json<Err>(en).error.message).toMatch(/^The request is invalid/);
    await c.patch('/api/auth/me', { locale: 'zh-CN' });
  });

  it('answers oversized bodies with 413', async () => {
    const c = await world.w.as('agent');
    const r = await c.post('/api/tickets', { title: 'big', orgId: world.w.custA.id, description: 'x'.repeat(70_000) });
    expect(r.statusCode).toBe(413);
    expect(json<Err>(r).error.code).toBe('BODY_TOO_LARGE');
  });

  it('stores injection strings as text and returns them unchanged', async () => {
    const c = await world.w.as('agent');
    const title = `'; DROP TABLE tickets; -- <script>alert(1)</script> <img src=x onerror=alert(1)>`;
    const r = await c.post('/api/tickets', { title, orgId: world.w.custA.id, description: '**粗体** <iframe src="javascript:alert(1)">' });
    expect(r.statusCode).toBe(201);
    const got = json<{ id: number; title: string }>(await c.get(`/api/tickets/${json<{ id: number }>(r).id}`));
    expect(got.title).toBe(title);
    expect((await c.get('/api/tickets?q=DROP')).statusCode).toBe(200);
    expect((await c.get(`/api/tickets?q=${encodeURIComponent("')|(&!:*")}`)).statusCode).toBe(200);
  });

  it('answers unknown routes, ids out of range and cross-tenant ids cleanly', async () => {
    const c = await world.w.as('customerB');
    expect(json<Err>(await c.get('/api/nope')).error.code).toBe('ROUTE_NOT_FOUND');
    expect((await c.get('/api/tickets/99999999999999999999')).statusCode).toBe(400);
    expect((await c.get('/api/tickets/-1')).statusCode).toBe(400);
    const r = await c.get('/api/tickets/999999999');
    expect(r.statusCode).toBe(404);
    expect(json<Err>(r).error.code).toBe('NOT_FOUND');
  });

  it('requires sign-in on protected routes', async () => {
    const r = await world.t.app.inject({ url: '/api/tickets' });
    expect(r.statusCode).toBe(401);
    expect(json<Err>(r).error.code).toBe('AUTH_REQUIRED');
  });

  it('never leaks stack traces on internal errors', async () => {
    const c = await world.w.as('agent');
    const r = await c.get('/api/tickets?createdFrom=2026-13-45T00:00:00Z');
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('error registry', () => {
  it('has a status and both languages for every code, and docs/errors.md lists each one', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../docs/errors.md'), 'utf8');
    for (const code of ERROR_CODES) {
      const def = ERROR_REGISTRY[code];
      expect(def.status, code).toBeGreaterThanOrEqual(400);
      expect(def['zh-CN'], code).toMatch(/\p{Script=Han}/u);
      expect(def['en-US'], code).toMatch(/[a-z]/);
      expect(doc, `docs/errors.md lacks ${code}`).toContain(`\`${code}\``);
    }
    expect(doc, 'docs/errors.md is stale: run npm run docs:errors').toBe(renderErrorsDoc());
  });

  it('refuses to register an /api route that declares no auth', async () => {
    const app = Fastify();
    registerAuthHooks(app, { db: world.t.database.db, config: world.t.config });
    expect(() => app.get('/api/unguarded', async () => ({ ok: true }))).toThrow(/declares no auth/);
    await app.close();
  });
});
