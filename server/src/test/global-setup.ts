import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase } from '../platform/db/db.ts';

/** With TEST_DATABASE_URL: start from an empty schema once, migrate once, before the workers. */
export async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  try {
    await database.db.execute(sql`DROP SCHEMA IF EXISTS public CASCADE`);
    await database.db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
    // pg-boss keeps its queue here; jobs left by an earlier run must not fire against the new data.
    await database.db.execute(sql`DROP SCHEMA IF EXISTS pgboss CASCADE`);
    await database.db.execute(sql`CREATE SCHEMA public`);
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
}
