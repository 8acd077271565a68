import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/error-registry.ts';
import { columnLetter, decodeText, matchHeader, readCsv, readXlsx, writeXlsx } from './cmdb-spreadsheet.ts';

const all = { maxRows: 100, isDataSheet: (n: string) => n !== '说明' };

async function book(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; params: Record<string, unknown> }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, params: err.params };
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('spreadsheet helpers', () => {
  it('names columns as Excel does', () => {
    expect([1, 2, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('matches headers by key, label, the combined form and full-width brackets', () => {
    const cols = [
      { id: 'name', aliases: ['name', '名称', 'Name'] },
      { id: 'os', aliases: ['os', '操作系统'] },
    ];
    expect(matchHeader('名称 (name)', cols)?.id).toBe('name');
    expect(matchHeader('名称（name）', cols)?.id).toBe('name');
    expect(matchHeader(' NAME ', cols)?.id).toBe('name');
    expect(matchHeader('操作系统', cols)?.id).toBe('os');
    expect(matchHeader('操作系统 (foo)', cols)?.id).toBe('os');
    expect(matchHeader('颜色', cols)).toBeNull();
  });

  it('decodes UTF-8 with BOM and GB18030 CSV as a Chinese Excel writes it', () => {
    expect(decodeText(Buffer.from('\ufeff名称,主机名', 'utf8')).replace('\ufeff', '')).toBe('名称,主机名');
    const gbk = Buffer.from('c3fbb3c62c7a686a', 'hex'); // "名称,zhj" in GBK
    expect(decodeText(gbk)).toBe('名称,zhj');
  });
});

describe('readXlsx', () => {
  it('reads headers and data rows with their Excel row numbers, skipping other sheets', async () => {
    const buf = await book((wb) => {
      wb.addWorksheet('说明').addRow(['随便写']);
      const ws = wb.addWorksheet('server');
      ws.addRow(['名称 (name)', 'CPU 核数 (cpu_cores)', '采购日期']);
      ws.addRow(['web-01', 8, new Date(Date.UTC(2025, 0, 31))]);
      ws.addRow([]);
      ws.addRow([{ richText: [{ text: 'db' }, { text: '-01' }] }, '16', null]);
    });
    const { tables, sheetNames } = await readXlsx(buf, all);
    expect(sheetNames).toEqual(['说明', 'server']);
    expect(tables).toHaveLength(1);
    const t = tables[0];
    expect(t?.headers).toEqual(['名称 (name)', 'CPU 核数 (cpu_cores)', '采购日期']);
    expect(t?.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(t?.rows[0]?.cells[2]).toBeInstanceOf(Date);
    expect(t?.rows[1]?.cells[0]).toBe('db-01');
  });

  it('refuses formulas naming the cell, and merged cells naming the range', async () => {
    const f = await book((wb) => {
      const ws = wb.addWorksheet('server');
      ws.addRow(['name', 'cpu_cores']);
      ws.addRow(['a', 1]);
      ws.getCell('B3').value = { formula: 'B2*2', result: 2 };
      ws.getCell('A3').value = 'b';
    });
    expect(await codeOf(readXlsx(f, all))).toEqual({ code: 'CMDB_IMPORT_FORMULA', params: { sheet: 'server', cell: 'B3' } });
    const m = await book((wb) => {
      const ws = wb.addWorksheet('server');
      ws.addRow(['name', 'os']);
      ws.addRow(['a', 'x']);
      ws.mergeCells('A2:B2');
    });
    expect(await codeOf(readXlsx(m, all))).toMatchObject({ code: 'CMDB_IMPORT_MERGED_CELLS', params: { sheet: 'server', range: 'A2:B2' } });
  });

  it('refuses files that are not xlsx or are corrupt', async () => {
    expect((await codeOf(readXlsx(Buffer.from('name,os\na,b'), all))).code).toBe('CMDB_IMPORT_FILE_INVALID');
    const corrupt = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    expect((await codeOf(readXlsx(corrupt, all))).code).toBe('CMDB_IMPORT_FILE_INVALID');
  });

  it('refuses 100,000 rows quickly, before loading the workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('server');
    ws.addRow(['name', 'hostname']);
    for (let i = 0; i < 100_000; i++) ws.addRow([`n${i}`, `h${i}`]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const t = performance.now();
    expect(await codeOf(readXlsx(buf, { maxRows: 20_000, isDataSheet: () => true }))).toEqual({ code: 'CMDB_IMPORT_TOO_MANY_ROWS', params: { max: 20_000 } });
    expect(performance.now() - t).toBeLessThan(5000);
  }, 60_000);

  it('writes workbooks it reads back', async () => {
    const buf = await writeXlsx([{ name: '服务器', headers: ['名称 (name)', '端口 (port)'], rows: [['a', 80], ['b', null]] }]);
    const { tables } = await readXlsx(buf, all);
    expect(tables[0]?.rows.map((r) => r.cells)).toEqual([['a', 80], ['b']]);
  });
});

describe('readCsv', () => {
  it('reads a CSV with line numbers and refuses too many rows', async () => {
    const t = readCsv(Buffer.from('名称,操作系统\r\nweb-01,CentOS\r\n,\r\n"db, 01",麒麟\r\n'), 'server', 10);
    expect(t.headers).toEqual(['名称', '操作系统']);
    expect(t.rows).toEqual([
      { row: 2, cells: ['web-01', 'CentOS'] },
      { row: 4, cells: ['db, 01', '麒麟'] },
    ]);
    expect((await codeOf(() => readCsv(Buffer.from('name\na\nb\nc\n'), 'x', 2))).code).toBe('CMDB_IMPORT_TOO_MANY_ROWS');
    expect((await codeOf(() => readCsv(Buffer.from(''), 'x', 2))).code).toBe('CMDB_IMPORT_EMPTY');
    expect((await codeOf(() => readCsv(Buffer.from('a,"b\n'), 'x', 2))).code).toBe('CMDB_IMPORT_FILE_INVALID');
  });
});
