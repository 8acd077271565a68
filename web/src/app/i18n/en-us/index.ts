import type { Resource } from '../zh-cn';
import { enAdmin } from './admin.locale';
import { enAssets } from './assets.locale';
import { enCalendars } from './calendars.locale';
import { enCmdb } from './cmdb.locale';
import { enCmdbQuality } from './cmdb-quality.locale';
import { enCmdbImport } from './cmdb-import.locale';
import { enCommon } from './common.locale';
import { enIncidents } from './incidents.locale';
import { enNotifications } from './notifications.locale';
import { enServices } from './services.locale';
import { enSla } from './sla.locale';
import { enVendors } from './vendors.locale';

export const enUS: Resource = { ...enCommon, incident: enIncidents, admin: enAdmin, calendar: enCalendars, notification: enNotifications, service: enServices, sla: enSla, cmdb: enCmdb, cmdbQuality: enCmdbQuality, cmdbImport: enCmdbImport, asset: enAssets, vendor: enVendors };
