import type { Resource } from '../zh-cn';
import { enAdmin } from './admin.locale';
import { enCalendars } from './calendars.locale';
import { enCommon } from './common.locale';
import { enIncidents } from './incidents.locale';

export const enUS: Resource = { ...enCommon, incident: enIncidents, admin: enAdmin, calendar: enCalendars };
