import { searchDocument } from '../../server/src/platform/search/zh-tokenizer.ts';
import { createRng } from '../src/lib/random.ts';
import { draftIncident } from '../src/tickets/data.ts';
const rng = createRng(1);
const t = performance.now();
let len = 0;
for (let i = 0; i < 20000; i++) { const d = draftIncident(rng); len += searchDocument(`INC${i}`, d.title, d.description, d.category, d.service).length; }
console.log('20k docs', Math.round(performance.now() - t), 'ms avg len', len / 20000);
const d = draftIncident(rng); console.log(d.title, '|', d.description, '\n', searchDocument('INC000001', d.title, d.description, d.category, d.service));
