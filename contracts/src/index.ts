export * from './common.contract.ts';
export * from './auth.contract.ts';
export * from './directory.contract.ts';
export * from './audit.contract.ts';
export * from './tickets.contract.ts';
export * from './error-codes.contract.ts';
export * from './calendars.contract.ts';
