import { zhAdmin } from './admin.locale';
import { zhReleases } from './releases.locale';
import { zhChanges } from './changes.locale';
import { zhApprovals } from './approvals.locale';
import { zhAssets } from './assets.locale';
import { zhCalendars } from './calendars.locale';
import { zhCmdb } from './cmdb.locale';
import { zhCmdbQuality } from './cmdb-quality.locale';
import { zhCmdbImport } from './cmdb-import.locale';
import { zhCommon } from './common.locale';
import { zhIncidents } from './incidents.locale';
import { zhNotifications } from './notifications.locale';
import { zhServices } from './services.locale';
import { zhSla } from './sla.locale';
import { zhVendors } from './vendors.locale';
import { zhWorkflows } from './workflows.locale';
import { zhRequests } from './requests.locale';
import { zhProblems } from './problems.locale';
import { zhKnowledge } from './knowledge.locale';

/** The source-of-truth resource: its shape types every t() key and the en-US resource. */
export const zhCN = { ...zhCommon, incident: zhIncidents, admin: zhAdmin, calendar: zhCalendars, notification: zhNotifications, service: zhServices, sla: zhSla, cmdb: zhCmdb, cmdbQuality: zhCmdbQuality, cmdbImport: zhCmdbImport, asset: zhAssets, vendor: zhVendors, workflow: zhWorkflows, approval: zhApprovals, request: zhRequests, change: zhChanges, release: zhReleases, problem: zhProblems, knowledge: zhKnowledge };
export type Resource = typeof zhCN;
