// Every Drizzle table, for the typed db handle and for drizzle-kit.
export * from '../../modules/directory/directory.tables.ts';
export * from '../auth/auth.tables.ts';
export * from '../audit/audit.tables.ts';
export * from '../../modules/tickets/tickets.tables.ts';
export * from '../../modules/settings/settings.tables.ts';
export * from '../../modules/calendars/calendars.tables.ts';
export * from '../../modules/sla/sla.tables.ts';
export * from '../../modules/notifications/notifications.tables.ts';
export * from '../../modules/services/services.tables.ts';
export * from '../../modules/cmdb/cmdb.tables.ts';
export * from '../../modules/cmdb/cmdb-relations.tables.ts';
export * from '../../modules/cmdb/cmdb-baselines.tables.ts';
export * from '../../modules/cmdb/cmdb-audits.tables.ts';
export * from '../../modules/vendors/vendors.tables.ts';
export * from '../../modules/vendors/repairs.tables.ts';
export * from '../../modules/assets/assets.tables.ts';
export * from '../../modules/assets/spare-parts.tables.ts';
