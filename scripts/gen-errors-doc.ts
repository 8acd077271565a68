import fs from 'node:fs';
import path from 'node:path';
import { renderErrorsDoc } from '../server/src/platform/errors/errors-doc.ts';

fs.writeFileSync(path.resolve(import.meta.dirname, '../docs/errors.md'), renderErrorsDoc());
