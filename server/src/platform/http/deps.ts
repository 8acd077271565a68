import type { AppConfig } from '../config/config.ts';
import type { Database, Db } from '../db/db.ts';
import type { Storage } from '../storage/storage.ts';

/** What route plugins get: narrow, explicit dependencies instead of a global container. */
export type AppDeps = { db: Db; config: AppConfig; storage: Storage; listen: Database['listen'] };
