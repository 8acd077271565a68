import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { makeWorld } from './factories.ts';

type World = Awaited<ReturnType<typeof makeWorld>>;
import { loadConfig, type AppConfig } from '../platform/config/config.ts';
import { migrateDatabase, openDatabase, type Database } from '../platform/db/db.ts';
import { buildApp } from '../platform/http/app.ts';

export type TestApp = { app: FastifyInstance; database: Database; config: AppConfig; close(): Promise<void> };

/**
 * The whole Fastify app on a migrated database: in-memory PGlite by default, or PostgreSQL when
 * TEST_DATABASE_URL is set (npm run test:pg). Tests never truncate: factories make fresh data.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    ...env,
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? dataDir : 'memory://',
    poolSize: 10,
  });
  await migrateDatabase(database);
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Json = Record<string, unknown>;

export function json<T = Json>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}

/**
 * The per-file setup of the API tests: one app on a migrated database and a world of
 * organisations and users, made before the tests and closed after. Read `world.t` / `world.w`
 * inside tests (they are set once beforeAll has run).
 */
export function useTestWorld(env: Record<string, string> = {}) {
  const world = {} as { t: TestApp; w: World };
  beforeAll(async () => {
    world.t = await createTestApp(env);
    world.w = await makeWorld(world.t.app, world.t.database.db);
  });
  afterAll(async () => world.t?.close());
  return world;
}
