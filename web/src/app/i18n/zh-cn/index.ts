import { zhAdmin } from './admin.locale';
import { zhCalendars } from './calendars.locale';
import { zhCmdb } from './cmdb.locale';
import { zhCommon } from './common.locale';
import { zhIncidents } from './incidents.locale';
import { zhNotifications } from './notifications.locale';
import { zhServices } from './services.locale';
import { zhSla } from './sla.locale';

/** The source-of-truth resource: its shape types every t() key and the en-US resource. */
export const zhCN = { ...zhCommon, incident: zhIncidents, admin: zhAdmin, calendar: zhCalendars, notification: zhNotifications, service: zhServices, sla: zhSla, cmdb: zhCmdb };
export type Resource = typeof zhCN;
