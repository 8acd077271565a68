// Copies the Chinese statutory holidays and make-up workdays (调休上班) for the years we ship out of
// the `chinese-days` package into server/src/modules/calendars/cn-statutory-days.data.ts. The server
// never reads the library at run time; a test fails when the copy and the package disagree.
import fs from 'node:fs';
import path from 'node:path';
import { renderCnStatutoryDays } from '../server/src/modules/calendars/cn-statutory-days.source.ts';

const out = path.resolve(import.meta.dirname, '../server/src/modules/calendars/cn-statutory-days.data.ts');
fs.writeFileSync(out, renderCnStatutoryDays());
