import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../../platform/errors/error-registry.ts';

/*
 * Spreadsheet I/O of the CMDB import, without any database: reads an xlsx workbook or a CSV file into
 * plain tables (refusing what cannot be imported faithfully: formulas, merged cells, too many rows) and
 * writes tables back to xlsx. Row numbers are 1-based as Excel shows them; the header is row 1.
 */

export type CellValue = string | number | boolean | Date | null;
export type SheetRow = { row: number; cells: CellValue[] };
export type SheetTable = { name: string; headers: string[]; rows: SheetRow[] };

export type ReadOptions = {
  /** Data rows allowed over all imported sheets; more is refused before the whole file is parsed. */
  maxRows: number;
  /** Sheets to import; others (e.g. the instructions sheet) are neither checked nor returned. */
  isDataSheet: (name: string) => boolean;
};

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** "A", "B", ... "Z", "AA" for 1-based column numbers. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export const isZip = (buf: Buffer) => buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;

const invalid = (reasonZh: string, reasonEn: string) => new AppError('CMDB_IMPORT_FILE_INVALID', { reasonZh, reasonEn });
const tooMany = (max: number) => new AppError('CMDB_IMPORT_TOO_MANY_ROWS', { max });

type RawValue = ExcelJS.CellValue | undefined;

/** A cell as a plain value; formulas are reported by the caller, so they never reach here. */
function plain(v: RawValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('') || null;
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return `#ERROR ${String(v.error)}`;
  }
  return String(v as unknown);
}

const isFormula = (v: RawValue) => typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v);

type ZipEntry = { name: string; method: number; compressedSize: number; offset: number };

/** The entries of a zip archive from its central directory (xlsx files are zips; no zip64 below the size cap). */
function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({ method: buf.readUInt16LE(p + 10), compressedSize: buf.readUInt32LE(p + 20), offset: buf.readUInt32LE(p + 42), name: buf.toString('utf8', p + 46, p + 46 + nameLen) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function entryData(buf: Buffer, e: ZipEntry): Buffer {
  if (buf.readUInt32LE(e.offset) !== 0x04034b50) throw new Error('bad local header');
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  return buf.subarray(start, start + e.compressedSize);
}

/** Counts `<row` elements of an entry while inflating it, and stops as soon as `limit` is passed. */
async function countRowsOf(buf: Buffer, e: ZipEntry, limit: number): Promise<number> {
  const data = entryData(buf, e);
  if (e.method === 0) return (data.toString('latin1').match(/<row[\s>]/g) ?? []).length;
  const inflate = zlib.createInflateRaw();
  let n = 0;
  let tail = '';
  const done = new Promise<void>((resolve, reject) => {
    inflate.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      n += (text.match(/<row[\s>]/g) ?? []).length;
      tail = text.slice(-5);
      // The tail is searched again with the next chunk: do not count a match inside it twice.
      n -= (tail.match(/<row[\s>]/g) ?? []).length;
      if (n > limit) {
        inflate.destroy();
        resolve();
      }
    });
    inflate.on('end', () => resolve());
    inflate.on('close', () => resolve());
    inflate.on('error', reject);
  });
  inflate.end(data);
  await done;
  return n + (tail.match(/<row[\s>]/g) ?? []).length;
}

const xmlAttr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
const xmlText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * Counts rows of the data sheets straight from the zip and stops at the cap, so a 100k-row file is
 * refused in a moment without being loaded. Styled empty rows count too, hence the slack; the exact
 * count of non-empty rows is checked after loading.
 */
async function precount(buf: Buffer, opts: ReadOptions): Promise<void> {
  const entries = zipEntries(buf);
  const read = (name: string) => {
    const e = entries.find((x) => x.name === name);
    if (!e) throw new Error(`missing ${name}`);
    const d = entryData(buf, e);
    return (e.method === 0 ? d : zlib.inflateRawSync(d)).toString('utf8');
  };
  const rels = new Map([...read('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)].map((m) => [xmlAttr(m[0], 'Id'), xmlAttr(m[0], 'Target')]));
  const limit = opts.maxRows * 2 + 1000;
  let total = 0;
  for (const m of read('xl/workbook.xml').matchAll(/<sheet\b[^>]*>/g)) {
    if (!opts.isDataSheet(xmlText(xmlAttr(m[0], 'name')))) continue;
    const target = (rels.get(xmlAttr(m[0], 'r:id')) ?? '').replace(/^\/?(xl\/)?/, '');
    const e = entries.find((x) => x.name === `xl/${target}`);
    if (!e) continue;
    total += await countRowsOf(buf, e, limit - total);
    if (total > limit) throw tooMany(opts.maxRows);
  }
}

/** The imported sheets, and the names of every sheet of the workbook (to tell the user what was not recognised). */
export async function readXlsx(buf: Buffer, opts: ReadOptions): Promise<{ tables: SheetTable[]; sheetNames: string[] }> {
  if (!isZip(buf)) throw invalid('不是 Excel（.xlsx）文件', 'not an Excel (.xlsx) file');
  try {
    await precount(buf, opts);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalid('文件已损坏或不是 .xlsx 格式', 'the file is corrupt or not in .xlsx format');
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw invalid('文件已损坏或不是 .xlsx 格式', 'the file is corrupt or not in .xlsx format');
  }
  const out: SheetTable[] = [];
  for (const ws of wb.worksheets) {
    if (!opts.isDataSheet(ws.name)) continue;
    const merges = ws.model.merges ?? [];
    if (merges.length) throw new AppError('CMDB_IMPORT_MERGED_CELLS', { sheet: ws.name, range: merges.slice(0, 3).join(', ') });
    const table: SheetTable = { name: ws.name, headers: [], rows: [] };
    let formula: string | null = null;
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: CellValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (formula === null && isFormula(cell.value)) formula = `${columnLetter(col)}${rowNumber}`;
        cells[col - 1] = plain(cell.value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= null;
      if (rowNumber === 1) table.headers = cells.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c).trim()));
      else if (cells.some((c) => c !== null)) table.rows.push({ row: rowNumber, cells });
    });
    if (formula !== null) throw new AppError('CMDB_IMPORT_FORMULA', { sheet: ws.name, cell: formula });
    out.push(table);
  }
  if (out.reduce((n, t) => n + t.rows.length, 0) > opts.maxRows) throw tooMany(opts.maxRows);
  return { tables: out, sheetNames: wb.worksheets.map((w) => w.name) };
}

/** CSV as Excel writes it: UTF-8 (with or without BOM) or, from a Chinese Excel, GB18030. */
export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

export function readCsv(buf: Buffer, sheetName: string, maxRows: number): SheetTable {
  if (buf.includes(0)) throw invalid('不是文本格式的 CSV 文件', 'not a text CSV file');
  let records: string[][];
  try {
    records = parseCsv(decodeText(buf), { bom: true, relax_column_count: true, skip_empty_lines: true, to_line: maxRows + 2 }) as string[][];
  } catch (err) {
    throw invalid(`CSV 格式错误：${(err as Error).message}`, `malformed CSV: ${(err as Error).message}`);
  }
  const [head, ...data] = records;
  if (!head) throw new AppError('CMDB_IMPORT_EMPTY');
  if (data.length > maxRows) throw tooMany(maxRows);
  const rows: SheetRow[] = [];
  data.forEach((r, i) => {
    const cells = r.map((c) => (c.trim() === '' ? null : c));
    // Lines are counted from 1 with the header first, as a spreadsheet program shows the file.
    if (cells.some((c) => c !== null)) rows.push({ row: i + 2, cells });
  });
  return { name: sheetName, headers: head.map((h) => h.trim()), rows };
}

// ---- header matching ----

export type ColumnDef = { id: string; aliases: string[] };

const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** A header as the template writes it ("名称 (name)"), or either part alone, or any alias. */
export function matchHeader<T extends ColumnDef>(text: string, columns: readonly T[]): T | null {
  const t = norm(text);
  if (!t) return null;
  const forms = [t];
  const m = /^(.*?)\s*\(([^()]*)\)$/.exec(t);
  if (m) forms.push(norm(m[2] ?? ''), norm(m[1] ?? ''));
  for (const f of forms) {
    const hit = columns.find((c) => c.aliases.some((a) => norm(a) === f));
    if (hit) return hit;
  }
  return null;
}

// ---- writing ----

export type WriteSheet = { name: string; headers: string[]; rows: CellValue[][]; widths?: number[] };

export async function writeXlsx(sheets: WriteSheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tianshu';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(s.headers);
    ws.getRow(1).font = { bold: true };
    for (const r of s.rows) ws.addRow(r.map((c) => (c === null ? undefined : c)));
    s.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = s.widths?.[i] ?? Math.min(60, Math.max(12, [...h].length * 2));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
