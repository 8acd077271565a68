import { describe, expect, it } from 'vitest';
import { json, useTestWorld } from '../../test/test-app.ts';
import { type Client } from '../../test/factories.ts';

const world = useTestWorld({ ATTACHMENT_MAX_BYTES: String(64 * 1024) });

function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----tianshu${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(c: Client, ticketId: number, filename: string, content: Buffer, type?: string) {
  const m = multipart(filename, content, type);
  return c.req({ method: 'POST', url: `/api/tickets/${ticketId}/attachments`, payload: m.payload, headers: m.headers });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('attachments', () => {
  it('stores a file, sniffs its type and downloads it as an attachment for the right tenant only', async () => {
    const agent = await world.w.as('agent');
    const ticket = json<{ id: number }>(await agent.post('/api/tickets', { title: '截图附件', orgId: world.w.custA.id }));
    // The declared type lies; the server sniffs the bytes.
    const r = await upload(agent, ticket.id, '故障截图.png', PNG, 'text/html');
    expect(r.statusCode, r.body).toBe(201);
    const att = json<{ id: number; contentType: string; size: number; filename: string }>(r);
    expect(att).toMatchObject({ contentType: 'image/png', size: PNG.length, filename: '故障截图.png' });
    const cust = await world.w.as('customerA');
    const dl = await cust.get(`/api/attachments/${att.id}/download`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('故障截图.png'));
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    const other = await world.w.as('customerB');
    expect((await other.get(`/api/attachments/${att.id}/download`)).statusCode).toBe(404);
    expect((await upload(other, ticket.id, 'x.txt', Buffer.from('hi'))).statusCode).toBe(404);
    const events = json<{ kind: string }[]>(await agent.get(`/api/tickets/${ticket.id}/events`));
    expect(events.some((e) => e.kind === 'attachment')).toBe(true);
  });

  it('refuses files over the limit and leaves nothing behind', async () => {
    const agent = await world.w.as('agent');
    const ticket = json<{ id: number }>(await agent.post('/api/tickets', { title: '大附件', orgId: world.w.custA.id }));
    const r = await upload(agent, ticket.id, 'big.log', Buffer.alloc(65 * 1024, 0x61));
    expect(r.statusCode).toBe(413);
    expect(json<{ error: { code: string } }>(r).error.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(json<unknown[]>(await agent.get(`/api/tickets/${ticket.id}/attachments`))).toHaveLength(0);
  });

  it('refuses executables and requests without a file', async () => {
    const agent = await world.w.as('agent');
    const ticket = json<{ id: number }>(await agent.post('/api/tickets', { title: '可执行文件', orgId: world.w.custA.id }));
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
    const r = await upload(agent, ticket.id, 'tool.bin', elf);
    expect(r.statusCode).toBe(415);
    const none = await agent.req({ method: 'POST', url: `/api/tickets/${ticket.id}/attachments`, payload: {} });
    expect([400, 415]).toContain(none.statusCode);
  });
});
