import ExcelJS from 'exceljs';
import { and, count, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CiClass, CmdbImportReport } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { makeOrg, uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ciItems, ciVersions } from './cmdb.tables.ts';
import { ciRelations } from './cmdb-relations.tables.ts';
import { ensureBuiltinClasses } from './builtin-classes.ts';
import { ensureBuiltinRelationTypes } from './builtin-relation-types.ts';
import { buildTemplate } from './cmdb-import.service.ts';

type Err = { error: { code: string; message: string; details?: CmdbImportReport } };

const world = useTestWorld();
const db = () => world.t.database.db;

let cls: CiClass;
let agent: Client;

function multipart(filename: string, content: Buffer, fields: Record<string, string>) {
  const boundary = `----tianshu${Date.now()}${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([...parts, head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(c: Client, content: Buffer, mode: string, opts: { filename?: string; classKey?: string } = {}) {
  const m = multipart(opts.filename ?? 'cis.xlsx', content, { mode, ...(opts.classKey ? { classKey: opts.classKey } : {}) });
  return c.req({ method: 'POST', url: '/api/cmdb/import', payload: m.payload, headers: m.headers });
}

async function book(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function cisOfClass(orgIds: number[]) {
  return db()
    .select()
    .from(ciItems)
    .where(and(eq(ciItems.classId, cls.id), inArray(ciItems.orgId, orgIds)));
}

const header = ['名称 (name)', '组织 (org)', '主机名 (hostname)', 'IP 地址 (ip)', '序列号 (serialNumber)', '操作系统 (os)', 'CPU 核数 (cores)', '维保到期 (warranty)', '虚拟 (virtual)', '环境 (env)'];

beforeAll(async () => {
  await ensureBuiltinClasses(db());
  await ensureBuiltinRelationTypes(db());
  const res = await (await world.w.as('sysadmin')).post('/api/ci-classes', {
    key: uniq('t_imp'),
    name: `导入测试${uniq('')}`,
    attributes: [
      { key: 'os', label: '操作系统', type: 'string', required: true },
      { key: 'cores', label: 'CPU 核数', type: 'number' },
      { key: 'warranty', label: '维保到期', type: 'date' },
      { key: 'virtual', label: '虚拟', type: 'boolean' },
      { key: 'env', label: '环境', type: 'enum', enumValues: ['生产', '测试'] },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  cls = json<CiClass>(res);
  agent = await world.w.as('agent');
});

describe('spreadsheet import', () => {
  it('dry run reports exactly the bad rows with row and column, and writes nothing; all-or-nothing refuses; valid-only writes the rest', async () => {
    const org = world.w.custA.code;
    const tag = uniq('');
    const file = await book({
      [cls.key]: [
        header,
        [`web-${tag}`, org, `web-${tag}`, '10.9.0.1', `SN-A-${tag}`, 'CentOS', 8, '2027-01-31', '是', '生产'],
        [`db-${tag}`, org, `db-${tag}`, '10.9.0.2', `SN-B-${tag}`, 'CentOS', 'eight', '2027-01-31', '否', '生产'],
        [`app-${tag}`, org, `app-${tag}`, '10.9.0.3', `SN-C-${tag}`, 'Kylin', 4, new Date(Date.UTC(2026, 5, 30)), 'true', '测试'],
        [`bad-${tag}`, 'NO-SUCH-ORG', `bad-${tag}`, '10.9.0.4', `SN-D-${tag}`, 'CentOS', 2, '2027-02-30', '否', '生产'],
      ],
    });
    const dry = await upload(agent, file, 'dry_run');
    expect(dry.statusCode, dry.body).toBe(200);
    const r = json<CmdbImportReport>(dry);
    expect(r.committed).toBe(false);
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'G', 'VALUE_INVALID'],
      [5, 'B', 'ORG_UNKNOWN'],
      [5, 'H', 'VALUE_INVALID'],
    ]);
    expect(r.errors[0]?.header).toBe('CPU 核数 (cores)');
    expect(r.errors[0]?.message).toContain('应为数字');
    expect(r.counts).toMatchObject({ rows: 4, valid: 2, created: 2, skipped: 2 });
    expect(await cisOfClass([world.w.custA.id])).toHaveLength(0);


    const aon = await upload(agent, file, 'all_or_nothing');
    expect(aon.statusCode, aon.body).toBe(422);
    const e = json<Err>(aon);
    expect(e.error.code).toBe('CMDB_IMPORT_HAS_ERRORS');
    expect(e.error.details?.errors).toHaveLength(3);
    expect(await cisOfClass([world.w.custA.id])).toHaveLength(0);

    const vo = await upload(agent, file, 'valid_only');
    expect(vo.statusCode, vo.body).toBe(200);
    const v = json<CmdbImportReport>(vo);
    expect(v.committed).toBe(true);
    expect(v.counts).toMatchObject({ created: 2, updated: 0, skipped: 2 });
    const saved = await cisOfClass([world.w.custA.id]);
    expect(saved.map((c) => c.name).sort()).toEqual([`app-${tag}`, `web-${tag}`]);
    const app = saved.find((c) => c.name === `app-${tag}`);
    expect(app?.attributes).toEqual({ os: 'Kylin', cores: 4, warranty: '2026-06-30', virtual: true, env: '测试' });
    const [versions] = await db().select({ n: count() }).from(ciVersions).where(inArray(ciVersions.ciId, saved.map((c) => c.id)));
    expect(versions?.n).toBe(2);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'cmdb.import'), eq(auditLog.actorId, agent.userId)));
    expect(audits.some((a) => a.result === 'success' && (a.details as { created?: number }).created === 2)).toBe(true);
    expect(audits.some((a) => a.result === 'failed')).toBe(true);

    // The same file again: the valid rows match their CIs and are unchanged; no duplicates, no new versions.
    const again = json<CmdbImportReport>(await upload(agent, file, 'valid_only'));
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await cisOfClass([world.w.custA.id])).toHaveLength(2);
  });

  it('refuses malformed files with a stable code and writes nothing', async () => {
    const before = (await cisOfClass([world.w.custA.id, world.w.custB.id])).length;
    const codeOf = async (buf: Buffer, opts: { filename?: string; classKey?: string } = {}) => {
      const res = await upload(agent, buf, 'valid_only', opts);
      return [res.statusCode, json<Err>(res).error.code, json<Err>(res).error.message] as const;
    };
    expect(await codeOf(Buffer.from('hello'), { filename: 'x.txt' })).toEqual([400, 'CMDB_IMPORT_FILE_INVALID', expect.any(String)]);
    expect((await codeOf(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 1)])))[1]).toBe('CMDB_IMPORT_FILE_INVALID');
    expect((await codeOf(await book({ [cls.key]: [header] })))[1]).toBe('CMDB_IMPORT_EMPTY');
    const noSheet = await codeOf(await book({ 随便: [['a'], ['b']], Sheet2: [['x']] }));
    expect(noSheet[1]).toBe('CMDB_IMPORT_NO_SHEET');
    expect(noSheet[2]).toContain('随便');
    const unknownCol = await codeOf(await book({ [cls.key]: [[...header, '颜色'], ['a', world.w.custA.code]] }));
    expect(unknownCol[1]).toBe('CMDB_IMPORT_UNKNOWN_COLUMN');
    expect(unknownCol[2]).toContain('K');
    expect((await codeOf(await book({ [cls.key]: [['主机名'], ['a']] })))[1]).toBe('CMDB_IMPORT_MISSING_COLUMN');
    // Merged cells and formulas.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(cls.key);
    ws.addRow(header);
    ws.addRow(['m1', world.w.custA.code, 'm1', null, null, 'x', 1]);
    ws.mergeCells('F2:G2');
    expect((await codeOf(Buffer.from(await wb.xlsx.writeBuffer())))[1]).toBe('CMDB_IMPORT_MERGED_CELLS');
    const wf = new ExcelJS.Workbook();
    const wsf = wf.addWorksheet(cls.key);
    wsf.addRow(header);
    wsf.addRow(['f1', world.w.custA.code, 'f1', null, null, 'x', { formula: '1+1', result: 2 }]);
    const formula = await codeOf(Buffer.from(await wf.xlsx.writeBuffer()));
    expect(formula[1]).toBe('CMDB_IMPORT_FORMULA');
    expect(formula[2]).toContain('G2');
    // More rows than the cap.
    const big = new ExcelJS.Workbook();
    const wsb = big.addWorksheet(cls.key);
    wsb.addRow(['name', 'os']);
    for (let i = 0; i < 20_001; i++) wsb.addRow([`n${i}`, 'x']);
    const tooMany = await codeOf(Buffer.from(await big.xlsx.writeBuffer()));
    expect(tooMany.slice(0, 2)).toEqual([413, 'CMDB_IMPORT_TOO_MANY_ROWS']);
    expect(tooMany[2]).toContain('20000');
    // Larger than 10 MB.
    expect((await codeOf(Buffer.alloc(10 * 1024 * 1024 + 10, 65), { filename: 'big.csv', classKey: cls.key })).slice(0, 2)).toEqual([413, 'CMDB_IMPORT_FILE_TOO_LARGE']);
    // Unknown class for a CSV.
    expect((await codeOf(Buffer.from('name\na'), { filename: 'a.csv', classKey: 'no_such_class' }))[1]).toBe('CMDB_IMPORT_CLASS_UNKNOWN');
    expect((await cisOfClass([world.w.custA.id, world.w.custB.id])).length).toBe(before);
  }, 60_000);

  it('reports duplicate identifiers within the file and imports nothing all-or-nothing', async () => {
    const t = uniq('');
    const file = await book({
      [cls.key]: [
        ['name', 'org', 'serialNumber', 'hostname', 'os'],
        [`d1-${t}`, world.w.custA.code, `SN-DUP-${t}`, `d1-${t}`, 'x'],
        [`d2-${t}`, world.w.custA.code, `SN-DUP-${t}`, `d2-${t}`, 'x'],
        [`d3-${t}`, world.w.custA.code, `SN-D3-${t}`, `D1-${t}`, 'x'],
      ],
    });
    const res = await upload(agent, file, 'all_or_nothing');
    expect(res.statusCode).toBe(422);
    const errs = json<Err>(res).error.details?.errors ?? [];
    expect(errs.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'C', 'DUPLICATE_IDENTIFIER'],
      [4, 'D', 'DUPLICATE_IDENTIFIER'],
    ]);
    const rows = await db().select().from(ciItems).where(eq(ciItems.serialNumber, `SN-DUP-${t}`));
    expect(rows).toHaveLength(0);
  });

  it('imports a CSV for the class given as a form field', async () => {
    const t = uniq('');
    const csv = `名称,组织,主机名,操作系统,CPU 核数\r\ncsv1-${t},${world.w.custA.code},csv1-${t},CentOS,4\r\ncsv2-${t},${world.w.custA.code},csv2-${t},麒麟,x\r\ncsv3-${t},${world.w.custA.code},csv3-${t},,2\r\n`;
    const res = await upload(agent, Buffer.from(`\ufeff${csv}`, 'utf8'), 'valid_only', { filename: 'cis.csv', classKey: cls.key });
    expect(res.statusCode, res.body).toBe(200);
    const r = json<CmdbImportReport>(res);
    expect(r.counts).toMatchObject({ rows: 3, created: 1, skipped: 2 });
    // A wrong type is found in the cell; a missing required attribute by the engine, still named by its column.
    expect(r.errors.map((e) => [e.sheet, e.row, e.column, e.code])).toEqual([
      [cls.key, 3, 'E', 'VALUE_INVALID'],
      [cls.key, 4, 'D', 'CONFLICT'],
    ]);
    expect(r.errors[1]?.message).toContain('必填');
  });

  it('imports relations; refuses disallowed pairs, other organisations and unknown CIs row by row', async () => {
    const t = uniq('');
    const a = world.w.custA.code;
    const b = world.w.custB.code;
    const file = await book({
      应用系统: [
        ['名称', '组织'],
        [`app-${t}`, a],
      ],
      'server.vm': [
        ['名称', '组织', '主机名', 'IP 地址'],
        [`vm-${t}`, a, `vm-${t}`, '10.1.2.3'],
        [`vmb-${t}`, b, `vmb-${t}`, '10.1.2.3'],
      ],
      应用实例: [
        ['名称', '组织', '所属应用', '环境', '运行主机'],
        [`inst-${t}`, a, `app-${t}`, '生产', `vm-${t}`],
      ],
      关系: [
        ['源配置项', '关系类型', '目标配置项'],
        [`inst-${t}`, 'runs_on', `vm-${t}`],
        [`vm-${t}`, 'runs_on', `app-${t}`],
        [`inst-${t}`, 'depends_on', `vmb-${t}`],
        [`inst-${t}`, 'runs_on', `nobody-${t}`],
        [`inst-${t}`, 'no_such_type', `vm-${t}`],
      ],
    });
    const dry = json<CmdbImportReport>(await upload(agent, file, 'dry_run'));
    expect(dry.errors.map((e) => [e.sheet, e.row, e.code])).toEqual([
      ['关系', 3, 'RELATION_NOT_ALLOWED'],
      ['关系', 4, 'RELATION_CROSS_ORG'],
      ['关系', 5, 'RELATION_CI_UNKNOWN'],
      ['关系', 6, 'RELATION_TYPE_UNKNOWN'],
    ]);
    expect(dry.counts).toMatchObject({ rows: 4, created: 4, relations: 5, relationsCreated: 1 });
    const r = json<CmdbImportReport>(await upload(agent, file, 'valid_only'));
    expect(r.counts.relationsCreated).toBe(1);
    const [inst] = await db().select().from(ciItems).where(eq(ciItems.name, `inst-${t}`));
    const [vm] = await db().select().from(ciItems).where(eq(ciItems.name, `vm-${t}`));
    const [app] = await db().select().from(ciItems).where(eq(ciItems.name, `app-${t}`));
    expect(inst?.attributes).toMatchObject({ application: app?.id, host: vm?.id, environment: '生产' });
    const rels = await db().select().from(ciRelations).where(eq(ciRelations.fromCiId, inst?.id ?? 0));
    expect(rels.map((x) => x.toCiId)).toEqual([vm?.id]);
    // Relations already there are kept, not duplicated.
    const again = json<CmdbImportReport>(await upload(agent, file, 'valid_only'));
    expect(again.counts).toMatchObject({ created: 0, unchanged: 4, relationsCreated: 0 });
  });

  it('exports a class in the import format, and the export imports back unchanged; edits round-trip', async () => {
    const org = await makeOrg(db());
    const t = uniq('');
    const file = await book({
      [cls.key]: [
        header,
        [`rt1-${t}`, org.code, `rt1-${t}`, '10.7.0.1', `SN-RT1-${t}`, 'CentOS', 8, '2027-01-31', '是', '生产'],
        [`rt2-${t}`, org.code, null, null, null, 'Kylin', null, null, null, null],
      ],
    });
    expect(json<CmdbImportReport>(await upload(agent, file, 'all_or_nothing')).counts.created).toBe(2);
    const exp = await agent.get(`/api/cmdb/export?classKey=${cls.key}&orgId=${org.id}`);
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toContain('spreadsheetml');
    const back = json<CmdbImportReport>(await upload(agent, exp.rawPayload, 'all_or_nothing', { filename: 'export.xlsx' }));
    expect(back.errors).toEqual([]);
    expect(back.counts).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getRow(1).getCell(1).value).toBe('编号 (id)');
    const osCol = (ws.getRow(1).values as unknown[]).indexOf('操作系统 (os)');
    ws.getRow(2).getCell(osCol).value = 'Ubuntu';
    const edited = json<CmdbImportReport>(await upload(agent, Buffer.from(await wb.xlsx.writeBuffer()), 'all_or_nothing'));
    expect(edited.counts).toMatchObject({ updated: 1, unchanged: 1 });
    const cis = await cisOfClass([org.id]);
    expect(cis.find((c) => c.name === `rt1-${t}`)?.attributes).toMatchObject({ os: 'Ubuntu' });
    expect(cis.find((c) => c.name === `rt1-${t}`)?.version).toBe(2);
    // Another organisation's customer sees none of these rows.
    const other = await (await world.w.as('customerB')).get(`/api/cmdb/export?classKey=${cls.key}`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(other.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]?.rowCount).toBe(1);
  });

  it('the CLI template imports cleanly (dry run, zero errors), and the API serves it', async () => {
    const buf = await buildTemplate({ orgCode: world.w.custA.code, tag: uniq('') });
    const res = await upload(agent, buf, 'dry_run', { filename: 'cmdb-template.xlsx' });
    expect(res.statusCode, res.body).toBe(200);
    const r = json<CmdbImportReport>(res);
    expect(r.errors).toEqual([]);
    expect(r.counts.created).toBe(r.counts.rows);
    expect(r.counts.rows).toBeGreaterThanOrEqual(48);
    expect(r.counts.relationsCreated).toBe(3);
    const tpl = await agent.get('/api/cmdb/import/template');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['说明', '服务器', '虚拟机', '关系']));
  });

  it('needs cmdb.ci.manage to import and reconcile', async () => {
    const customer = await world.w.as('customerA');
    const res = await upload(customer, await book({ [cls.key]: [['name'], ['x']] }), 'dry_run');
    expect(res.statusCode).toBe(403);
    const rec = await customer.post('/api/cmdb/reconcile', { source: 't', items: [{ class: cls.key, org: world.w.custA.id, name: 'x', attributes: { os: 'x' } }] });
    expect(rec.statusCode).toBe(403);
  });
});
