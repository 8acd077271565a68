import net from 'node:net';
import { asc, eq, inArray, and } from 'drizzle-orm';
import type { CiAttributeDef, CiEffectiveAttribute, CmdbImportIssue, CmdbImportIssueCode, CmdbImportMode, CmdbImportReport, Locale } from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { organizations } from '../directory/directory.tables.ts';
import { checkValue } from './attribute-validation.ts';
import { effectiveAttributes, loadTree, subtreeIds, type ClassTree } from './ci-classes.service.ts';
import type { ClassRow, CiRow, IdentifierColumn } from './cmdb.queries.ts';
import { ciItems } from './cmdb.tables.ts';
import { ciRelations, ciRelationTypes } from './cmdb-relations.tables.ts';
import { pairAllowed } from './cmdb-relations.service.ts';
import { BUILTIN_CLASSES } from './builtin-classes.ts';
import { IDENTIFIER_ORDER, runEngine, type EngineItem, type EngineResult } from './cmdb-reconcile.service.ts';
import * as rq from './cmdb-reconcile.queries.ts';
import { columnLetter, isZip, matchHeader, readCsv, readXlsx, writeXlsx, type CellValue, type ColumnDef, type SheetTable, type WriteSheet } from './cmdb-spreadsheet.ts';

/*
 * Spreadsheet import and export of CIs. One sheet per class, one row per CI, an optional "relations"
 * sheet. Every row is checked before anything is written and the rows then go through the same
 * reconciliation engine as the discovery API, inside one transaction: a dry run is that very
 * transaction rolled back, so its report is exactly what the import would do.
 */

export const IMPORT_MAX_ROWS = 20_000;
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const CHUNK = 1000;

type FixedKey = 'id' | 'name' | 'org' | 'owner' | 'ownerGroup' | 'location' | 'importance' | 'status' | IdentifierColumn;

export const FIXED_COLUMNS: readonly { key: FixedKey; zh: string; en: string }[] = [
  { key: 'id', zh: '编号', en: 'ID' },
  { key: 'name', zh: '名称', en: 'Name' },
  { key: 'org', zh: '组织', en: 'Organisation' },
  { key: 'owner', zh: '负责人', en: 'Owner' },
  { key: 'ownerGroup', zh: '负责组', en: 'Owner group' },
  { key: 'location', zh: '位置', en: 'Location' },
  { key: 'importance', zh: '重要性', en: 'Importance' },
  { key: 'status', zh: '状态', en: 'Status' },
  { key: 'serialNumber', zh: '序列号', en: 'Serial number' },
  { key: 'assetTag', zh: '资产编号', en: 'Asset tag' },
  { key: 'hostname', zh: '主机名', en: 'Hostname' },
  { key: 'ip', zh: 'IP 地址', en: 'IP address' },
  { key: 'cloudId', zh: '云资源 ID', en: 'Cloud ID' },
];

const IMPORTANCE = { core: { zh: '核心', en: 'Core' }, important: { zh: '重要', en: 'Important' }, normal: { zh: '一般', en: 'Normal' } } as const;
const STATUS = {
  planned: { zh: '规划中', en: 'Planned' },
  in_use: { zh: '在用', en: 'In use' },
  maintenance: { zh: '维护中', en: 'Maintenance' },
  retired: { zh: '已退役', en: 'Retired' },
} as const;

export const RELATION_SHEETS = ['关系', 'relations'];
const INSTRUCTION_SHEETS = ['说明', 'instructions', 'readme'];
const RELATION_COLUMNS: readonly { key: 'from' | 'type' | 'to' | 'org'; zh: string; en: string }[] = [
  { key: 'from', zh: '源配置项', en: 'From CI' },
  { key: 'type', zh: '关系类型', en: 'Relation type' },
  { key: 'to', zh: '目标配置项', en: 'To CI' },
  { key: 'org', zh: '组织', en: 'Organisation' },
];

type ColumnSpec = ColumnDef & ({ kind: 'fixed'; key: FixedKey; header: string } | { kind: 'attr'; def: CiEffectiveAttribute; header: string });

/** The columns of a class sheet: fixed CI fields, then the class's attributes (inherited first). */
export function classColumns(tree: ClassTree, classId: number): ColumnSpec[] {
  const fixed: ColumnSpec[] = FIXED_COLUMNS.map((f) => ({ id: `f:${f.key}`, kind: 'fixed', key: f.key, header: `${f.zh} (${f.key})`, aliases: [f.key, f.zh, f.en] }));
  const fixedKeys = new Set<string>(FIXED_COLUMNS.map((f) => f.key.toLowerCase()));
  const attrs: ColumnSpec[] = effectiveAttributes(tree, classId).map((def) => {
    const ref = fixedKeys.has(def.key) ? `attr.${def.key}` : def.key;
    return { id: `a:${def.key}`, kind: 'attr', def, header: `${def.label} (${ref})`, aliases: [ref, `attr.${def.key}`, def.label] };
  });
  return [...fixed, ...attrs];
}

const sheetNorm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** The sheet name used for a class: its (Chinese) name when Excel allows it, else its key. */
export function sheetNameOf(tree: ClassTree, c: ClassRow): string {
  const dupName = [...tree.byId.values()].some((o) => o.id !== c.id && sheetNorm(o.name) === sheetNorm(c.name));
  return !dupName && c.name.length <= 31 && !/[[\]:*?/\\]/.test(c.name) ? c.name : c.key.slice(0, 31);
}

function classOfSheet(tree: ClassTree, name: string): ClassRow | null {
  const n = sheetNorm(name);
  for (const c of tree.byId.values()) if (sheetNorm(c.key) === n || sheetNorm(c.key).slice(0, 31) === n) return c;
  const byName = [...tree.byId.values()].filter((c) => sheetNorm(c.name) === n);
  return byName.length === 1 ? (byName[0] ?? null) : null;
}

const isRelationSheet = (name: string) => RELATION_SHEETS.includes(sheetNorm(name));
const isInstructionSheet = (name: string) => INSTRUCTION_SHEETS.includes(sheetNorm(name));

// ---- cell conversion ----

const BOOL_TRUE = new Set(['true', 'yes', 'y', '1', '是', '真', 'ok']);
const BOOL_FALSE = new Set(['false', 'no', 'n', '0', '否', '假']);

const textOf = (v: CellValue): string => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v).trim());

type Converted = { ok: true; value: unknown } | { ok: false; zh: string; en: string };
const fail = (zh: string, en: string): Converted => ({ ok: false, zh, en });

/** A cell as the attribute's JSON value; reference cells that name a CI by text are resolved later. */
function convertAttr(def: CiAttributeDef, v: CellValue): Converted | { ok: 'ref'; text: string } {
  let value: unknown = v;
  switch (def.type) {
    case 'string':
      value = textOf(v);
      break;
    case 'number':
      value = typeof v === 'number' ? v : Number(textOf(v).replace(/,/g, ''));
      if (typeof v !== 'number' && textOf(v) === '') value = Number.NaN;
      break;
    case 'boolean': {
      if (typeof v === 'boolean') break;
      const t = textOf(v).toLowerCase();
      if (BOOL_TRUE.has(t)) value = true;
      else if (BOOL_FALSE.has(t)) value = false;
      else return fail('应为 是/否', 'must be yes/no (是/否, true/false)');
      break;
    }
    case 'date':
      value = v instanceof Date ? v.toISOString().slice(0, 10) : textOf(v).replace(/\//g, '-').replace(/^(\d{4})-(\d)-/, '$1-0$2-').replace(/-(\d)$/, '-0$1');
      break;
    case 'enum':
    case 'ip':
      value = textOf(v);
      break;
    case 'reference': {
      if (typeof v === 'number') value = v;
      else if (/^#?\d+$/.test(textOf(v))) value = Number(textOf(v).replace('#', ''));
      else return { ok: 'ref', text: textOf(v) };
      break;
    }
  }
  const r = checkValue(def, value);
  return 'issue' in r ? fail(r.issue.zh, r.issue.en) : { ok: true, value: r.value };
}

function labelled<T extends string>(table: Record<T, { zh: string; en: string }>, v: CellValue): T | null {
  const t = sheetNorm(textOf(v));
  for (const [k, l] of Object.entries(table) as [T, { zh: string; en: string }][]) if (sheetNorm(k) === t || sheetNorm(l.zh) === t || sheetNorm(l.en) === t) return k;
  return null;
}

// ---- the import ----

type Issue = Omit<CmdbImportIssue, 'message'> & { zh: string; en: string };

type RowRef = { kind: 'row'; row: ImportRow } | { kind: 'ci'; id: number; orgId: number };

type ImportRow = {
  seq: number;
  sheet: string;
  row: number;
  classId: number;
  orgId: number | null;
  item: EngineItem | null;
  /** Reference attributes naming a CI by text: resolved to an id, or to another row of the file. */
  refs: { key: string; col: number; header: string; text: string; target?: RowRef }[];
  errors: Issue[];
  ciId: number | null;
  done: boolean;
};

type RelationRow = { sheet: string; row: number; from: string; to: string; typeKey: string; orgId: number | null; cols: Record<'from' | 'type' | 'to', { col: string; header: string }>; errors: Issue[]; ends?: [RowRef, RowRef] };

export type ImportInput = { buffer: Buffer; filename: string; mode: CmdbImportMode; classKey?: string | undefined };

class Rollback extends Error {}

const issue = (sheet: string, row: number, col: number | null, header: string, code: CmdbImportIssueCode, zh: string, en: string): Issue => ({
  sheet,
  row,
  column: col === null ? '' : columnLetter(col + 1),
  header,
  code,
  zh,
  en,
});

async function readTables(tree: ClassTree, input: ImportInput): Promise<{ tables: SheetTable[]; sheetNames: string[] }> {
  if (isZip(input.buffer)) {
    return readXlsx(input.buffer, { maxRows: IMPORT_MAX_ROWS, isDataSheet: (n) => classOfSheet(tree, n) !== null || isRelationSheet(n) });
  }
  if (!/\.csv$/i.test(input.filename) && !input.classKey) {
    throw new AppError('CMDB_IMPORT_FILE_INVALID', { reasonZh: '请上传 .xlsx 文件，或 .csv 文件并指定类别', reasonEn: 'upload an .xlsx file, or a .csv file with its class' });
  }
  const cls = tree.byKey.get(input.classKey ?? '');
  if (!cls) throw new AppError('CMDB_IMPORT_CLASS_UNKNOWN', { classKey: input.classKey ?? '' });
  return { tables: [readCsv(input.buffer, cls.key, IMPORT_MAX_ROWS)], sheetNames: [cls.key] };
}

/** Maps header cells to columns; unknown or repeated columns and a missing name column refuse the file. */
function resolveHeaders<T extends ColumnDef>(sheet: SheetTable, columns: readonly T[], required: T[]): (T | null)[] {
  const used = new Set<string>();
  const out = sheet.headers.map((h, i) => {
    if (!h) {
      if (sheet.rows.some((r) => (r.cells[i] ?? null) !== null)) throw new AppError('CMDB_IMPORT_UNKNOWN_COLUMN', { sheet: sheet.name, column: columnLetter(i + 1), header: '' });
      return null;
    }
    const c = matchHeader(h, columns);
    if (!c || used.has(c.id)) throw new AppError('CMDB_IMPORT_UNKNOWN_COLUMN', { sheet: sheet.name, column: columnLetter(i + 1), header: h });
    used.add(c.id);
    return c;
  });
  for (const r of required) if (!used.has(r.id)) throw new AppError('CMDB_IMPORT_MISSING_COLUMN', { sheet: sheet.name, header: r.aliases[1] ?? r.id });
  return out;
}

export async function importFile(db: Db, actor: Actor, locale: Locale, input: ImportInput): Promise<CmdbImportReport> {
  if (input.buffer.length > IMPORT_MAX_BYTES) throw new AppError('CMDB_IMPORT_FILE_TOO_LARGE', { limit: '10 MB' });
  const tree = await loadTree(db);
  const { tables, sheetNames } = await readTables(tree, input);
  if (!tables.length) {
    const unknown = sheetNames.filter((n) => !isInstructionSheet(n));
    if (!unknown.length) throw new AppError('CMDB_IMPORT_EMPTY');
    throw new AppError('CMDB_IMPORT_NO_SHEET', { sheets: unknown.join(locale === 'zh-CN' ? '、' : ', ') });
  }
  if (tables.every((t) => !t.rows.length)) throw new AppError('CMDB_IMPORT_EMPTY');

  const scope = await ticketOrgScope(db, actor);
  const classTables = tables.filter((t) => !isRelationSheet(t.name));
  const relTable = tables.find((t) => isRelationSheet(t.name));
  const layouts = classTables.map((t) => {
    const cls = input.classKey && !isZip(input.buffer) ? (tree.byKey.get(input.classKey) as ClassRow) : (classOfSheet(tree, t.name) as ClassRow);
    const cols = classColumns(tree, cls.id);
    return { t, cls, cols: resolveHeaders(t, cols, cols.filter((c) => c.id === 'f:name')) };
  });
  const relCols = relTable
    ? resolveHeaders(
        relTable,
        RELATION_COLUMNS.map((c) => ({ id: c.key, aliases: [c.key, c.zh, c.en] })),
        RELATION_COLUMNS.filter((c) => c.key !== 'org').map((c) => ({ id: c.key, aliases: [c.key, c.zh, c.en] })),
      )
    : [];

  // Names the file uses for organisations, owners and groups, looked up in three queries.
  const orgTexts = new Set<string>();
  const userTexts = new Set<string>();
  const groupTexts = new Set<string>();
  for (const { t, cols } of layouts) {
    for (const r of t.rows) {
      cols.forEach((c, i) => {
        const v = textOf(r.cells[i] ?? null);
        if (!v || !c || c.kind !== 'fixed') return;
        if (c.key === 'org') orgTexts.add(v);
        if (c.key === 'owner') userTexts.add(v);
        if (c.key === 'ownerGroup') groupTexts.add(v);
      });
    }
  }
  if (relTable) relTable.rows.forEach((r) => relCols.forEach((c, i) => c?.id === 'org' && textOf(r.cells[i] ?? null) && orgTexts.add(textOf(r.cells[i] ?? null))));
  const orgRows = (await rq.orgsByCodeOrName(db, [...orgTexts])).filter((o) => inScope(scope, Number(o.id)));
  const orgOf = (text: string): number | null => {
    const byCode = orgRows.find((o) => o.code === text);
    if (byCode) return Number(byCode.id);
    const byName = orgRows.filter((o) => o.name === text);
    return byName.length === 1 ? Number(byName[0]?.id) : null;
  };
  const defaultOrg = scope && scope.length === 1 ? (scope[0] ?? null) : null;
  const userOf = new Map((await rq.usersByUsername(db, [...userTexts])).map((u) => [u.username.toLowerCase(), Number(u.id)]));
  const groupOf = new Map((await rq.groupsByName(db, [...groupTexts])).map((g) => [g.name, Number(g.id)]));

  // ---- rows ----
  const rows: ImportRow[] = [];
  let seq = 0;
  for (const { t, cls, cols } of layouts) {
    for (const r of t.rows) {
      const ir: ImportRow = { seq: ++seq, sheet: t.name, row: r.row, classId: cls.id, orgId: null, item: null, refs: [], errors: [], ciId: null, done: false };
      rows.push(ir);
      const err = (i: number | null, header: string, code: CmdbImportIssueCode, zh: string, en: string) => ir.errors.push(issue(t.name, r.row, i, header, code, zh, en));
      const item: EngineItem = { index: ir.seq, classId: cls.id, orgId: 0, name: null, identifiers: {}, attributes: {}, fields: {} };
      let orgCol: number | null = null;
      let orgHeader = '组织 (org)';
      cols.forEach((c, i) => {
        if (!c) return;
        const cell = r.cells[i] ?? null;
        const header = t.headers[i] ?? '';
        const v = textOf(cell);
        if (c.kind === 'attr') {
          if (cell === null) return;
          const conv = convertAttr(c.def, cell);
          if (conv.ok === 'ref') ir.refs.push({ key: c.def.key, col: i, header, text: conv.text });
          else if (conv.ok) item.attributes[c.def.key] = conv.value;
          else err(i, header, 'VALUE_INVALID', `“${v}”不合法：${conv.zh}`, `"${v}" is invalid: ${conv.en}`);
          return;
        }
        if (c.key === 'org') {
          orgCol = i;
          orgHeader = header;
        }
        if (!v) return;
        switch (c.key) {
          case 'id':
            if (/^\d+$/.test(v) && Number(v) > 0) item.ciId = Number(v);
            else err(i, header, 'VALUE_INVALID', `“${v}”不是配置项编号`, `"${v}" is not a CI id`);
            break;
          case 'name':
            if (v.length > 200) err(i, header, 'VALUE_INVALID', '名称过长（最多 200 字）', 'name too long (200 characters at most)');
            else item.name = v;
            break;
          case 'org': {
            const o = orgOf(v);
            if (o === null) err(i, header, 'ORG_UNKNOWN', `组织“${v}”不存在或无权访问`, `organisation "${v}" does not exist or is out of scope`);
            else ir.orgId = o;
            break;
          }
          case 'owner': {
            const u = userOf.get(v.toLowerCase());
            if (u === undefined) err(i, header, 'USER_UNKNOWN', `用户“${v}”不存在`, `there is no user "${v}"`);
            else item.fields.ownerUserId = u;
            break;
          }
          case 'ownerGroup': {
            const g = groupOf.get(v);
            if (g === undefined) err(i, header, 'GROUP_UNKNOWN', `用户组“${v}”不存在`, `there is no group "${v}"`);
            else item.fields.ownerGroupId = g;
            break;
          }
          case 'location':
            item.fields.location = v.slice(0, 200);
            break;
          case 'importance': {
            const k = labelled(IMPORTANCE, cell);
            if (!k) err(i, header, 'VALUE_INVALID', `“${v}”不合法：应为 核心、重要、一般`, `"${v}" is invalid: must be core, important or normal`);
            else item.fields.importance = k;
            break;
          }
          case 'status': {
            const k = labelled(STATUS, cell);
            if (!k) err(i, header, 'VALUE_INVALID', `“${v}”不合法：应为 规划中、在用、维护中、已退役`, `"${v}" is invalid: must be planned, in_use, maintenance or retired`);
            else item.fields.status = k;
            break;
          }
          case 'ip':
            if (net.isIP(v) === 0) err(i, header, 'VALUE_INVALID', `“${v}”不是有效的 IP 地址`, `"${v}" is not a valid IP address`);
            else item.identifiers.ip = v.toLowerCase();
            break;
          default:
            if (v.length > 200) err(i, header, 'VALUE_INVALID', '过长（最多 200 字）', 'too long (200 characters at most)');
            else item.identifiers[c.key] = v;
        }
      });
      if (ir.orgId === null && !ir.errors.some((e) => e.code === 'ORG_UNKNOWN')) {
        if (defaultOrg !== null) ir.orgId = defaultOrg;
        else err(orgCol, orgHeader, 'REQUIRED', '请填写组织（编码或名称）', 'the organisation (code or name) is required');
      }
      item.orgId = ir.orgId ?? 0;
      ir.item = item;
    }
  }

  // Duplicate identifiers within the file: the later row is refused, naming the earlier one.
  const firstSeen = new Map<string, ImportRow>();
  for (const ir of rows) {
    const it = ir.item;
    if (!it || ir.orgId === null) continue;
    const keys: [string, string][] = [];
    if (it.ciId) keys.push([`id:${it.ciId}`, 'id']);
    for (const c of IDENTIFIER_ORDER) {
      const v = it.identifiers[c];
      if (v) keys.push([c === 'hostname' || c === 'ip' ? `${c}:${ir.orgId}:${v.toLowerCase()}` : `${c}:${v}`, c]);
    }
    for (const [k, col] of keys) {
      const prev = firstSeen.get(k);
      if (prev) {
        const layout = layouts.find((l) => l.t.name === ir.sheet);
        const i = layout ? layout.cols.findIndex((c) => c?.id === `f:${col}`) : -1;
        ir.errors.push(
          issue(ir.sheet, ir.row, i < 0 ? null : i, layout?.t.headers[i] ?? col, 'DUPLICATE_IDENTIFIER', `与工作表“${prev.sheet}”第 ${prev.row} 行重复`, `duplicates row ${prev.row} of sheet "${prev.sheet}"`),
        );
      } else firstSeen.set(k, ir);
    }
  }

  // Text references (reference attributes, relation ends): rows of this file first, then existing CIs.
  const fileIndex = new Map<string, ImportRow[]>();
  for (const ir of rows) {
    const it = ir.item;
    if (!it || ir.orgId === null) continue;
    const tokens = new Set([it.name, it.identifiers.serialNumber, it.identifiers.assetTag, it.identifiers.cloudId, it.identifiers.hostname?.toLowerCase()].filter((x): x is string => !!x));
    for (const tok of tokens) fileIndex.set(`${ir.orgId}\u0000${tok}`, [...(fileIndex.get(`${ir.orgId}\u0000${tok}`) ?? []), ir]);
  }
  const relRows: RelationRow[] = [];
  if (relTable) {
    for (const r of relTable.rows) {
      const get = (k: string) => {
        const i = relCols.findIndex((c) => c?.id === k);
        return { v: i < 0 ? '' : textOf(r.cells[i] ?? null), col: i < 0 ? '' : columnLetter(i + 1), header: i < 0 ? k : (relTable.headers[i] ?? k), i };
      };
      const f = get('from');
      const ty = get('type');
      const to = get('to');
      const o = get('org');
      const rr: RelationRow = { sheet: relTable.name, row: r.row, from: f.v, to: to.v, typeKey: ty.v, orgId: null, cols: { from: f, type: ty, to }, errors: [] };
      if (o.v) {
        rr.orgId = orgOf(o.v);
        if (rr.orgId === null) rr.errors.push(issue(relTable.name, r.row, o.i, o.header, 'ORG_UNKNOWN', `组织“${o.v}”不存在或无权访问`, `organisation "${o.v}" does not exist or is out of scope`));
      }
      for (const x of [f, ty, to]) {
        if (!x.v) rr.errors.push(issue(relTable.name, r.row, x.i < 0 ? null : x.i, x.header, 'REQUIRED', '必填', 'is required'));
      }
      relRows.push(rr);
    }
  }
  const texts = new Set<string>();
  for (const ir of rows) for (const ref of ir.refs) texts.add(ref.text);
  for (const rr of relRows) for (const x of [rr.from, rr.to]) if (/\D/.test(x) && x) texts.add(x);
  const visibleOrgs = scope ?? (await db.select({ id: organizations.id }).from(organizations)).map((o) => o.id);
  const existing = await rq.cisByText(db, visibleOrgs, [...texts]);
  const resolve = (text: string, orgId: number | null): { ref?: RowRef; zh?: string; en?: string } => {
    const fileHits = orgId === null
      ? [...fileIndex.entries()].filter(([k]) => k.endsWith(`\u0000${text}`) || k.endsWith(`\u0000${text.toLowerCase()}`)).flatMap(([, v]) => v)
      : [...(fileIndex.get(`${orgId}\u0000${text}`) ?? []), ...(fileIndex.get(`${orgId}\u0000${text.toLowerCase()}`) ?? [])];
    const uniqRows = [...new Set(fileHits)];
    if (uniqRows.length === 1 && uniqRows[0]) return { ref: { kind: 'row', row: uniqRows[0] } };
    if (uniqRows.length > 1) return { zh: `“${text}”对应文件中的多行，请改用序列号或主机名`, en: `"${text}" matches several rows of the file; use a serial number or hostname` };
    if (/^#?\d+$/.test(text)) return { ref: { kind: 'ci', id: Number(text.replace('#', '')), orgId: orgId ?? 0 } };
    const db1 = existing.filter(
      (c) =>
        (orgId === null || Number(c.org_id) === orgId) &&
        (c.serial_number === text || c.asset_tag === text || c.cloud_id === text || c.name === text || c.hostname?.toLowerCase() === text.toLowerCase()),
    );
    if (db1.length === 1 && db1[0]) return { ref: { kind: 'ci', id: Number(db1[0].id), orgId: Number(db1[0].org_id) } };
    if (db1.length > 1) return { zh: `“${text}”对应多个已有配置项，请改用序列号或主机名`, en: `"${text}" matches several CIs; use a serial number or hostname` };
    return { zh: `找不到配置项“${text}”（按序列号、资产编号、云资源 ID、主机名或名称查找）`, en: `no CI "${text}" (looked up by serial number, asset tag, cloud id, hostname or name)` };
  };
  for (const ir of rows) {
    for (const ref of ir.refs) {
      const r = resolve(ref.text, ir.orgId);
      if (r.ref?.kind === 'row' && r.ref.row === ir) r.ref = undefined;
      if (r.ref) ref.target = r.ref;
      else ir.errors.push(issue(ir.sheet, ir.row, ref.col, ref.header, 'REFERENCE_UNKNOWN', r.zh ?? '引用无效', r.en ?? 'invalid reference'));
    }
  }
  for (const rr of relRows) {
    if (rr.errors.length) continue;
    const a = resolve(rr.from, rr.orgId);
    const b = resolve(rr.to, rr.orgId);
    if (!a.ref) rr.errors.push(issue(rr.sheet, rr.row, rr.cols.from.col ? colIndex(rr.cols.from.col) : null, rr.cols.from.header, 'RELATION_CI_UNKNOWN', a.zh ?? '', a.en ?? ''));
    if (!b.ref) rr.errors.push(issue(rr.sheet, rr.row, rr.cols.to.col ? colIndex(rr.cols.to.col) : null, rr.cols.to.header, 'RELATION_CI_UNKNOWN', b.zh ?? '', b.en ?? ''));
    if (a.ref && b.ref) rr.ends = [a.ref, b.ref];
  }

  const relTypes = await db.select().from(ciRelationTypes).orderBy(asc(ciRelationTypes.id));
  for (const rr of relRows) {
    if (rr.typeKey && !relTypes.some((t) => t.key === rr.typeKey || t.name === rr.typeKey)) {
      const c = rr.cols.type;
      rr.errors.push(issue(rr.sheet, rr.row, c.col ? colIndex(c.col) : null, c.header, 'RELATION_TYPE_UNKNOWN', `关系类型“${rr.typeKey}”不存在`, `there is no relation type "${rr.typeKey}"`));
    }
  }

  // ---- write (or rehearse) in one transaction ----
  const counts = { rows: rows.length, valid: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, relations: relRows.length, relationsCreated: 0 };
  const report = (): CmdbImportReport => {
    const errors = [...rows.flatMap((r) => r.errors), ...relRows.flatMap((r) => r.errors)];
    const order = new Map(tables.map((t, i) => [t.name, i]));
    errors.sort((x, y) => (order.get(x.sheet) ?? 0) - (order.get(y.sheet) ?? 0) || x.row - y.row || x.column.length - y.column.length || (x.column < y.column ? -1 : 1));
    return {
      mode: input.mode,
      committed: false,
      counts: { ...counts, valid: rows.filter((r) => !r.errors.length).length, skipped: rows.filter((r) => r.errors.length).length },
      sheets: layouts.map((l) => ({ sheet: l.t.name, classKey: l.cls.key, rows: l.t.rows.length })).concat(relTable ? [{ sheet: relTable.name, classKey: '', rows: relTable.rows.length }] : []),
      errors: errors.map(({ zh, en, ...e }) => ({ ...e, message: locale === 'en-US' ? en : zh })),
    };
  };

  const changedBy = actor.userId > 0 ? actor.userId : null;
  let final: CmdbImportReport;
  try {
    final = await db.transaction(async (tx) => {
      const columnOf = (r: ImportRow, attrKey: string) => {
        const l = layouts.find((x) => x.t.name === r.sheet);
        const i = l ? l.cols.findIndex((c) => c?.id === `a:${attrKey}`) : -1;
        return l && i >= 0 ? { i, header: l.t.headers[i] ?? '' } : null;
      };
      await writeRows(tx, { tree, scope, changedBy }, rows, counts, columnOf);
      counts.relationsCreated = await writeRelations(tx, tree, scope, relTypes, relRows, changedBy);
      const r = report();
      const hasErrors = r.errors.length > 0;
      if (input.mode === 'dry_run' || (input.mode === 'all_or_nothing' && hasErrors)) throw new Rollback();
      await recordAudit(tx, {
        actor,
        action: 'cmdb.import',
        objectType: 'ci',
        objectId: null,
        result: 'success',
        details: { file: input.filename.slice(0, 200), mode: input.mode, ...r.counts, errors: r.errors.length },
      });
      return { ...r, committed: true };
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    final = report();
  }
  if (input.mode === 'all_or_nothing' && final.errors.length) {
    await recordAudit(db, { actor, action: 'cmdb.import', objectType: 'ci', objectId: null, result: 'failed', details: { file: input.filename.slice(0, 200), mode: input.mode, errors: final.errors.length } });
    throw new AppError('CMDB_IMPORT_HAS_ERRORS', { count: final.errors.length }, final);
  }
  return final;
}

const colIndex = (letter: string) => [...letter].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/**
 * Valid rows through the engine, in waves: a row whose reference names another row of the file waits
 * until that row has its CI id. A row whose referenced row failed fails too.
 */
async function writeRows(
  tx: Queryable,
  ctx: { tree: ClassTree; scope: number[] | null; changedBy: number | null },
  rows: ImportRow[],
  counts: { created: number; updated: number; unchanged: number },
  columnOf: (r: ImportRow, attrKey: string) => { i: number; header: string } | null,
) {
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  let remaining = rows.filter((r) => !r.errors.length);
  while (remaining.length) {
    const ready: ImportRow[] = [];
    const waiting: ImportRow[] = [];
    for (const r of remaining) {
      const blocked = r.refs.find((ref) => ref.target?.kind === 'row' && (ref.target.row.errors.length || ref.target.row.done) && ref.target.row.ciId === null);
      if (blocked && blocked.target?.kind === 'row') {
        const t = blocked.target.row;
        r.errors.push(issue(r.sheet, r.row, blocked.col, blocked.header, 'REFERENCE_UNKNOWN', `引用的工作表“${t.sheet}”第 ${t.row} 行未能导入`, `the referenced row ${t.row} of sheet "${t.sheet}" could not be imported`));
        r.done = true;
        continue;
      }
      if (r.refs.every((ref) => ref.target?.kind !== 'row' || ref.target.row.ciId !== null)) ready.push(r);
      else waiting.push(r);
    }
    if (!ready.length) {
      for (const r of waiting) {
        if (r.done) continue;
        r.errors.push(issue(r.sheet, r.row, null, '', 'REFERENCE_UNKNOWN', '行之间的引用形成循环', 'the references between rows form a cycle'));
        r.done = true;
      }
      break;
    }
    for (let i = 0; i < ready.length; i += CHUNK) {
      const chunk = ready.slice(i, i + CHUNK);
      const items = chunk.map((r) => {
        const it = r.item as EngineItem;
        const attributes = { ...it.attributes };
        for (const ref of r.refs) {
          if (ref.target?.kind === 'row') attributes[ref.key] = ref.target.row.ciId;
          else if (ref.target?.kind === 'ci') attributes[ref.key] = ref.target.id;
        }
        return { ...it, attributes };
      });
      const results: EngineResult[] = await runEngine(tx, ctx, items);
      for (const res of results) {
        const r = bySeq.get(res.index);
        if (!r) continue;
        r.done = true;
        if (res.outcome === 'conflict') {
          const col = res.field ? columnOf(r, res.field) : null;
          r.errors.push(issue(r.sheet, r.row, col?.i ?? null, col?.header ?? '', 'CONFLICT', res.zh ?? '冲突', res.en ?? 'conflict'));
          continue;
        }
        r.ciId = res.ciId;
        counts[res.outcome]++;
      }
    }
    remaining = waiting.filter((r) => !r.done);
  }
}

/** Relations whose both ends were imported or exist: same organisation, allowed class pair, not a loop; existing ones are kept. */
async function writeRelations(tx: Queryable, tree: ClassTree, scope: number[] | null, types: (typeof ciRelationTypes.$inferSelect)[], relRows: RelationRow[], changedBy: number | null): Promise<number> {
  const ids = new Set<number>();
  const idOf = (ref: RowRef) => (ref.kind === 'row' ? ref.row.ciId : ref.id);
  for (const rr of relRows) for (const e of rr.ends ?? []) if (idOf(e)) ids.add(idOf(e) as number);
  const cis = new Map((await rq.ciBriefs(tx, [...ids])).map((c) => [c.id, c]));
  const values: { typeId: number; fromCiId: number; toCiId: number; createdBy: number | null }[] = [];
  const seen = new Set<string>();
  for (const rr of relRows) {
    if (rr.errors.length || !rr.ends) continue;
    const err = (k: 'from' | 'type' | 'to' | null, code: CmdbImportIssueCode, zh: string, en: string) => {
      const c = k ? rr.cols[k] : null;
      rr.errors.push(issue(rr.sheet, rr.row, c?.col ? colIndex(c.col) : null, c?.header ?? '', code, zh, en));
    };
    const [fa, fb] = rr.ends;
    for (const [k, e] of [['from', fa], ['to', fb]] as const) {
      if (e.kind === 'row' && e.row.ciId === null) err(k, 'RELATION_CI_UNKNOWN', `引用的工作表“${e.row.sheet}”第 ${e.row.row} 行未能导入`, `the referenced row ${e.row.row} of sheet "${e.row.sheet}" could not be imported`);
    }
    if (rr.errors.length) continue;
    const a = cis.get(idOf(fa) as number);
    const b = cis.get(idOf(fb) as number);
    if (!a || !inScope(scope, a.orgId)) err('from', 'RELATION_CI_UNKNOWN', `配置项 #${idOf(fa) ?? ''} 不存在或无权访问`, `CI #${idOf(fa) ?? ''} does not exist or is out of scope`);
    if (!b || !inScope(scope, b.orgId)) err('to', 'RELATION_CI_UNKNOWN', `配置项 #${idOf(fb) ?? ''} 不存在或无权访问`, `CI #${idOf(fb) ?? ''} does not exist or is out of scope`);
    if (!a || !b || rr.errors.length) continue;
    const type = types.find((t) => t.key === rr.typeKey || t.name === rr.typeKey);
    if (!type) continue;
    if (a.id === b.id) {
      err(null, 'RELATION_SELF', '配置项不能与自身建立关系', 'a CI cannot be related to itself');
      continue;
    }
    if (a.orgId !== b.orgId) {
      err('to', 'RELATION_CROSS_ORG', '不能在不同组织的配置项之间建立关系', 'CIs of different organisations cannot be related');
      continue;
    }
    if (!pairAllowed(tree, type, a.classId, b.classId)) {
      const fc = tree.byId.get(a.classId)?.name ?? '';
      const tc = tree.byId.get(b.classId)?.name ?? '';
      err('type', 'RELATION_NOT_ALLOWED', `关系“${type.name}”不允许从“${fc}”指向“${tc}”`, `the relation "${type.key}" is not allowed from class "${fc}" to class "${tc}"`);
      continue;
    }
    const k = `${type.id}:${a.id}:${b.id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    values.push({ typeId: type.id, fromCiId: a.id, toCiId: b.id, createdBy: changedBy });
  }
  let created = 0;
  for (let i = 0; i < values.length; i += CHUNK) {
    const out = await tx.insert(ciRelations).values(values.slice(i, i + CHUNK)).onConflictDoNothing().returning({ id: ciRelations.id });
    created += out.length;
  }
  return created;
}

// ---- export ----

const cellOfAttr = (def: CiAttributeDef, v: unknown): CellValue => {
  if (v === undefined || v === null) return null;
  if (def.type === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
};

/** The rows of a class and each subclass, one sheet per class, in the import format (so they round-trip). */
export async function exportClass(db: Db, actor: Actor, classKey: string, orgId?: number): Promise<{ buffer: Buffer; filename: string }> {
  const tree = await loadTree(db);
  const root = tree.byKey.get(classKey);
  if (!root) throw new AppError('NOT_FOUND', { object: 'CI class' });
  const scope = await ticketOrgScope(db, actor);
  let orgs: number[] | null = scope;
  if (orgId !== undefined) orgs = inScope(scope, orgId) ? [orgId] : [];
  const sheets: WriteSheet[] = [];
  for (const clsId of subtreeIds(tree, root.id)) {
    const cls = tree.byId.get(clsId) as ClassRow;
    const conds = [eq(ciItems.classId, clsId)];
    if (orgs) conds.push(inArray(ciItems.orgId, orgs.length ? orgs : [0]));
    const list: CiRow[] = await db.select().from(ciItems).where(and(...conds)).orderBy(asc(ciItems.id));
    const [orgNames, userNames, groupNames] = await Promise.all([
      rq.namesOf(db, 'organizations', [...new Set(list.map((c) => c.orgId))]),
      rq.namesOf(db, 'users', [...new Set(list.flatMap((c) => (c.ownerUserId ? [c.ownerUserId] : [])))]),
      rq.namesOf(db, 'groups', [...new Set(list.flatMap((c) => (c.ownerGroupId ? [c.ownerGroupId] : [])))]),
    ]);
    const nameOf = (l: { id: number; v: string }[], id: number | null) => (id === null ? null : (l.find((x) => Number(x.id) === id)?.v ?? null));
    const cols = classColumns(tree, clsId);
    sheets.push({
      name: sheetNameOf(tree, cls),
      headers: cols.map((c) => c.header),
      rows: list.map((ci) =>
        cols.map((c): CellValue => {
          if (c.kind === 'attr') return cellOfAttr(c.def, (ci.attributes as Record<string, unknown>)[c.def.key]);
          switch (c.key) {
            case 'id':
              return ci.id;
            case 'org':
              return nameOf(orgNames, ci.orgId);
            case 'owner':
              return nameOf(userNames, ci.ownerUserId);
            case 'ownerGroup':
              return nameOf(groupNames, ci.ownerGroupId);
            case 'importance':
              return IMPORTANCE[ci.importance].zh;
            case 'status':
              return STATUS[ci.status].zh;
            default:
              return ci[c.key];
          }
        }),
      ),
    });
  }
  return { buffer: await writeXlsx(sheets), filename: `cmdb-${root.key}.xlsx` };
}

// ---- template ----

const EXAMPLE_TEXT: Record<string, [string, string]> = {
  os: ['CentOS', '麒麟 Kylin V10'],
  os_version: ['7.9', 'SP3'],
  vendor: ['华为', '浪潮'],
  model: ['TaiShan 200', 'NF5280M6'],
  maintainer: ['某维保公司', '原厂'],
  version: ['3.2.1', '1.0.0'],
  dev_team: ['核心系统组', '渠道组'],
  business_owner: ['张三', '李四'],
  service_hours: ['7×24', '工作日 8:00-18:00'],
  address: ['北京市海淀区', '上海市浦东新区'],
  room_code: ['BJ01', 'BJ01'],
  rack_no: ['A01', 'A02'],
  product: ['Microsoft Office', 'WPS Office'],
};

type TemplateClass = { key: string; name: string; attributes: CiAttributeDef[]; parentKey?: string };

function templateClasses(): TemplateClass[] {
  const byKey = new Map(BUILTIN_CLASSES.map((b) => [b.key, b]));
  return BUILTIN_CLASSES.map((b) => {
    const chain: (typeof b)[] = [];
    for (let c: typeof b | undefined = b; c; c = c.parent ? byKey.get(c.parent) : undefined) chain.unshift(c);
    const attributes = chain.flatMap((c) => c.attributes.map((a) => ({ required: false, unique: false, indexed: false, ...a }) as CiAttributeDef));
    return { key: b.key, name: b.name, attributes, ...(b.parent ? { parentKey: b.parent } : {}) };
  });
}

const DEVICE_ROOTS = ['server', 'network', 'storage', 'security_device', 'video', 'power', 'precision_ac', 'office_device'];

/**
 * The sample workbook of `tianshu cmdb template`: instructions in Chinese and English, one sheet per
 * built-in class with two rows that import cleanly into organisation `orgCode`, and a relations sheet.
 */
export async function buildTemplate(opts: { orgCode?: string; tag?: string } = {}): Promise<Buffer> {
  const orgCode = opts.orgCode ?? 'PROVIDER';
  // Serial numbers and asset tags are unique across the CMDB: a tag keeps two imported copies apart.
  const tag = opts.tag ? `-${opts.tag}` : '';
  const classes = templateClasses();
  const rootOf = (c: TemplateClass) => c.parentKey ?? c.key;
  const exampleName = (key: string, i: number) => `${classes.find((c) => c.key === key)?.name ?? key}示例${i + 1}`;
  const fixedKeys = new Set<string>(FIXED_COLUMNS.map((f) => f.key.toLowerCase()));
  const sheets: WriteSheet[] = [];
  const instructions: string[][] = [
    ['天枢 CMDB 导入模板', 'Tianshu CMDB import template'],
    ['每个工作表对应一个配置项类别，工作表名为类别名称或类别标识。', 'Each sheet holds one CI class; the sheet name is the class name or key.'],
    ['第 1 行为列名，可写“名称 (name)”、中文名称或标识。', 'Row 1 holds the column headers: "名称 (name)", the Chinese label or the key.'],
    ['“名称”列必须存在；组织填写编码或名称；状态、重要性可填中文或英文标识。', 'The name column is required; organisation is a code or name; status and importance accept Chinese labels or keys.'],
    ['按序列号、资产编号、云资源 ID、主机名 + IP、主机名匹配已有配置项：匹配到则更新，否则新建。', 'Rows match existing CIs by serial number, asset tag, cloud id, hostname + IP, then hostname: matched rows update, others create.'],
    ['空白单元格保留原值；不支持公式和合并单元格；一次最多 20,000 行。', 'Blank cells keep the stored value; formulas and merged cells are refused; 20,000 rows at most per file.'],
    ['引用型属性和“关系”表中的配置项可填编号、序列号、资产编号、主机名或名称（可引用本文件中的行）。', 'Reference attributes and the CIs of the relations sheet accept an id, serial number, asset tag, hostname or name (rows of this file too).'],
    ['先选择“试运行”检查错误，再选择“全部导入”或“仅导入正确的行”。', 'Run a dry run first, then import all-or-nothing or valid rows only.'],
  ];
  sheets.push({ name: '说明', headers: ['说明', 'Instructions'], rows: instructions, widths: [80, 100] });
  classes.forEach((cls, ci) => {
    const fixed = FIXED_COLUMNS.filter((f) => f.key !== 'id');
    const headers = [...fixed.map((f) => `${f.zh} (${f.key})`), ...cls.attributes.map((a) => `${a.label} (${fixedKeys.has(a.key) ? `attr.${a.key}` : a.key})`)];
    const isDevice = DEVICE_ROOTS.includes(rootOf(cls));
    const hasHw = cls.attributes.some((a) => a.key === 'model');
    const rows = [0, 1].map((i): CellValue[] => {
      const slug = cls.key.replace(/[._]/g, '-');
      const fixedValues: Record<string, CellValue> = {
        name: exampleName(cls.key, i),
        org: orgCode,
        importance: i === 0 ? '重要' : '一般',
        status: '在用',
        location: isDevice ? `机房 A 区 ${i + 1} 排` : null,
        serialNumber: hasHw ? `SN-${slug.toUpperCase()}-00${i + 1}${tag}` : null,
        assetTag: cls.key === 'office_device.pc' || cls.key === 'office_device.printer' ? `ZC-${slug.toUpperCase()}-00${i + 1}${tag}` : null,
        hostname: isDevice && !cls.key.startsWith('office_device') && !cls.key.startsWith('power') && cls.key !== 'precision_ac' ? `${slug}-0${i + 1}` : null,
        ip: isDevice && (rootOf(cls) === 'server' || rootOf(cls) === 'network') ? `10.${10 + Math.floor(ci / 10)}.${ci % 10}.${i + 11}` : null,
      };
      const attrValues = cls.attributes.map((a): CellValue => {
        switch (a.type) {
          case 'string':
            return EXAMPLE_TEXT[a.key]?.[i] ?? `${a.label}${i + 1}`;
          case 'number':
            return a.key === 'u_position' ? 10 + i * 4 : a.key === 'port' ? 8080 + i : 4 * (i + 1);
          case 'date':
            return i === 0 ? '2025-06-30' : '2026-12-31';
          case 'enum':
            return a.enumValues?.[i % (a.enumValues?.length ?? 1)] ?? null;
          case 'ip':
            return `192.168.${ci}.${i + 1}`;
          case 'boolean':
            return i === 0 ? '是' : '否';
          case 'reference': {
            // The example row of the referenced class in this same workbook (by name).
            const target = classes.find((c) => c.key === a.refClassKey);
            return target ? exampleName(target.key, i) : null;
          }
        }
        return null;
      });
      return [...fixed.map((f) => fixedValues[f.key] ?? null), ...attrValues];
    });
    sheets.push({ name: cls.name.length <= 31 ? cls.name : cls.key.slice(0, 31), headers, rows });
  });
  sheets.push({
    name: '关系',
    headers: RELATION_COLUMNS.map((c) => `${c.zh} (${c.key})`),
    rows: [
      [exampleName('app_instance', 0), 'runs_on', exampleName('server.vm', 0), orgCode],
      [exampleName('business_service', 0), 'depends_on', exampleName('application', 0), orgCode],
      [exampleName('server.vm', 0), 'runs_on', exampleName('server.physical', 0), orgCode],
    ],
  });
  return writeXlsx(sheets);
}
