import fs from 'node:fs';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RepairDocument, RepairOrderDetail, Vendor } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { assets } from '../assets/assets.tables.ts';
import { repairOrderDocuments, repairOrderEvents } from './repairs.tables.ts';
import { addDays, shanghaiDate } from './repair-flow.ts';

type Err = { error: { code: string } };

const world = useTestWorld({ ATTACHMENT_MAX_BYTES: String(64 * 1024) });
const db = () => world.t.database.db;

let vendor: Vendor;

beforeAll(async () => {
  const m = await world.w.as('manager');
  vendor = json<Vendor>(await m.post('/api/vendors', { name: uniq('浪潮-'), kind: 'hardware' }));
});

type Part = { name: string; content: Buffer | string; filename?: string; type?: string };

/** A multipart body in the given part order (a field may come before or after the file). */
function multipart(parts: Part[]) {
  const boundary = `----tianshu${uniq('')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.filename === undefined ? `form-data; name="${p.name}"` : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const type = p.filename === undefined ? '' : `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(p.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(c: Client, orderId: number, parts: Part[]) {
  const m = multipart(parts);
  return c.req({ method: 'POST', url: `/api/repairs/${orderId}/documents/file`, payload: m.payload, headers: m.headers });
}

const file = (filename: string, content: Buffer | string, type?: string): Part => ({ name: 'file', filename, content, ...(type ? { type } : {}) });

/** Every file under the attachment storage directory. */
function storedFiles(): string[] {
  const root = path.join(world.t.config.dataDir, 'attachments');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function makeOrder(orgId = world.w.custA.id) {
  const [asset] = await db()
    .insert(assets)
    .values({ assetTag: uniq('ZC-'), name: '华为 S5735 交换机', orgId, status: 'in_use', warrantyEnd: addDays(shanghaiDate(new Date()), 90), vendorId: vendor.id })
    .returning();
  if (!asset) throw new Error('no asset');
  const who = await world.w.as(orgId === world.w.custA.id ? 'engineer' : 'outsider');
  const res = await who.post('/api/repairs', { assetId: asset.id, fault: '端口频繁 down' });
  expect(res.statusCode, res.body).toBe(201);
  return json<RepairOrderDetail>(res);
}

const docCount = async (orderId: number) => (await db().select({ n: count() }).from(repairOrderDocuments).where(eq(repairOrderDocuments.repairOrderId, orderId)))[0]?.n;
const eventCount = async (orderId: number) =>
  (await db().select({ n: count() }).from(repairOrderEvents).where(and(eq(repairOrderEvents.repairOrderId, orderId), eq(repairOrderEvents.kind, 'document'))))[0]?.n;
const auditCount = async (action: string, objectType: string, objectId: number) =>
  (
    await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.objectType, objectType), eq(auditLog.objectId, String(objectId))))
  )[0]?.n;

// A minimal PE image: DOS header 'MZ', e_lfanew at 0x3c pointing to the 'PE\0\0' signature.
const PE = (() => {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x8664, 0x84);
  return b;
})();

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'), Buffer.alloc(64, 0x20), Buffer.from('\n%%EOF\n')]);

describe('repair document files', () => {
  it('stores an uploaded quote, lists it next to link records and downloads it byte-identical', async () => {
    const o = await makeOrder();
    const eng = await world.w.as('engineer');
    const link = await eng.post(`/api/repairs/${o.id}/documents`, { name: '原厂 RMA 单', url: 'https://support.example.com/rma/1', description: '厂商门户' });
    expect(link.statusCode, link.body).toBe(201);
    expect(json<RepairDocument>(link)).toMatchObject({ file: null, downloadUrl: null });

    // The declared type lies and the description comes after the file: the bytes decide, the field is kept.
    const res = await upload(eng, o.id, [file('维修报价单.pdf', PDF, 'text/html'), { name: 'description', content: ' 含税报价 ' }]);
    expect(res.statusCode, res.body).toBe(201);
    const doc = json<RepairDocument>(res);
    expect(doc).toMatchObject({ name: '维修报价单.pdf', url: '', description: '含税报价', file: { contentType: 'application/pdf', size: PDF.length }, downloadUrl: `/api/repair-documents/${doc.id}/download` });

    const text = await upload(eng, o.id, [{ name: 'description', content: '外观照片说明' }, file('C:\\scan\\签收单.txt', '签收人：张三\n日期：2026-11-23\n')]);
    expect(text.statusCode, text.body).toBe(201);
    expect(json<RepairDocument>(text)).toMatchObject({ name: '签收单.txt', description: '外观照片说明', file: { contentType: 'text/plain; charset=utf-8' } });

    const d = json<RepairOrderDetail>(await eng.get(`/api/repairs/${o.id}`));
    expect(d.documents.map((x) => [x.name, x.file === null])).toEqual([
      ['原厂 RMA 单', true],
      ['维修报价单.pdf', false],
      ['签收单.txt', false],
    ]);
    expect(d.events.filter((e) => e.kind === 'document').map((e) => e.note)).toEqual(['原厂 RMA 单', '维修报价单.pdf', '签收单.txt']);
    expect(await auditCount('repair.document.upload', 'repair_order', o.id)).toBe(2);

    const dl = await eng.get(doc.downloadUrl ?? '');
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-length']).toBe(String(PDF.length));
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="_____.pdf"; filename\*=UTF-8''/);
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('维修报价单.pdf'));
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect(await auditCount('repair.document.download', 'repair_document', doc.id)).toBe(1);

    // A manager (vendor.read, whole provider scope) downloads too; a link record has no file.
    const m = await world.w.as('manager');
    expect((await m.get(`/api/repair-documents/${doc.id}/download`)).rawPayload.equals(PDF)).toBe(true);
    const linkDl = await eng.get(`/api/repair-documents/${json<RepairDocument>(link).id}/download`);
    expect(linkDl.statusCode).toBe(404);
  });

  it('refuses executables, oversized and empty files and leaves no row, event or stored file', async () => {
    const o = await makeOrder();
    const eng = await world.w.as('engineer');
    const before = storedFiles();

    const exe = await upload(eng, o.id, [file('报价单.pdf', PE, 'application/pdf')]);
    expect(exe.statusCode).toBe(415);
    expect(json<Err>(exe).error.code).toBe('ATTACHMENT_TYPE_REJECTED');

    const big = await upload(eng, o.id, [file('照片.jpg', Buffer.alloc(65 * 1024, 0x61))]);
    expect(big.statusCode).toBe(413);
    expect(json<Err>(big).error.code).toBe('ATTACHMENT_TOO_LARGE');

    const empty = await upload(eng, o.id, [file('空.txt', Buffer.alloc(0))]);
    expect(json<Err>(empty).error.code).toBe('ATTACHMENT_MISSING');

    const noFile = await upload(eng, o.id, [{ name: 'description', content: '只有说明' }]);
    expect(noFile.statusCode).toBe(400);
    expect(json<Err>(noFile).error.code).toBe('ATTACHMENT_MISSING');

    const notMultipart = await eng.post(`/api/repairs/${o.id}/documents/file`, { name: 'x' });
    expect(notMultipart.statusCode).toBe(415);

    // Refused after the file was stored (description too long): the file is removed again.
    const longText = await upload(eng, o.id, [file('发票.txt', '发票号 0001'), { name: 'description', content: '长'.repeat(2001) }]);
    expect(longText.statusCode).toBe(400);
    expect(json<Err>(longText).error.code).toBe('VALIDATION_FAILED');

    expect(await docCount(o.id)).toBe(0);
    expect(await eventCount(o.id)).toBe(0);
    expect(await auditCount('repair.document.upload', 'repair_order', o.id)).toBe(0);
    expect(storedFiles()).toEqual(before);
  });

  it('keeps other organisations and customers out', async () => {
    const o = await makeOrder();
    const eng = await world.w.as('engineer');
    const doc = json<RepairDocument>(await upload(eng, o.id, [file('检测报告.txt', '硬盘坏道 3 处')]));
    const stored = storedFiles().length;

    // outsider: an engineer serving only the other customer.
    const outsider = await world.w.as('outsider');
    const denied = await outsider.get(`/api/repair-documents/${doc.id}/download`);
    expect(denied.statusCode).toBe(404);
    expect(json<Err>(denied).error.code).toBe('NOT_FOUND');
    expect(await auditCount('access.denied', 'repair_document', doc.id)).toBe(1);
    expect(await auditCount('repair.document.download', 'repair_document', doc.id)).toBe(0);
    expect((await upload(outsider, o.id, [file('x.txt', 'x')])).statusCode).toBe(404);
    expect((await outsider.get('/api/repair-documents/999999999/download')).statusCode).toBe(404);

    // Customers have neither vendor.read nor asset.manage.
    const cust = await world.w.as('customerA');
    expect((await cust.get(`/api/repair-documents/${doc.id}/download`)).statusCode).toBe(403);
    expect((await upload(cust, o.id, [file('x.txt', 'x')])).statusCode).toBe(403);

    // The other organisation's own order is out of this engineer's reach the same way.
    const foreign = await makeOrder(world.w.custB.id);
    const foreignDoc = json<RepairDocument>(await upload(outsider, foreign.id, [file('b.txt', 'b')]));
    expect((await eng.get(`/api/repair-documents/${foreignDoc.id}/download`)).statusCode).toBe(404);

    expect(await docCount(o.id)).toBe(1);
    expect(storedFiles().length).toBe(stored + 1);
  });
});
