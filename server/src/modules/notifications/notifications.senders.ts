import crypto from 'node:crypto';
import nodemailer from 'nodemailer';

/**
 * The wire formats of the outgoing channels. Each sender resolves on success and throws a
 * SendError with a short, loggable reason otherwise (HTTP status, vendor error code, timeout).
 */
export class SendError extends Error {
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message);
    this.name = 'SendError';
    this.status = status;
  }
}

export const SEND_TIMEOUT_MS = 10_000;
const MAX_REPLY_CHARS = 300;

export type ChannelTarget = { kind: 'webhook' | 'dingtalk' | 'wecom' | 'feishu'; url: string; secret: string | null };

/** What a channel message carries: the generic webhook sends `event`…`link` as JSON; robots get the texts. */
export type ChannelMessage = {
  event: string;
  deliveryId: number | null;
  occurredAt: string;
  params: Record<string, string | number>;
  ticketId: number | null;
  link: string | null;
  title: string;
  text: string;
  markdown: string;
};

const hmac = (key: string, message: string) => crypto.createHmac('sha256', key).update(message, 'utf8');

/** `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`), as receivers recompute it. */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${hmac(secret, `${timestamp}.${rawBody}`).digest('hex')}`;
}

/** DingTalk robot 加签: base64(HmacSHA256(key = secret, msg = timestamp + "\n" + secret)), timestamp in ms. */
export function dingtalkSign(secret: string, timestampMs: string): string {
  return hmac(secret, `${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu robot 签名校验: base64(HmacSHA256(key = timestamp + "\n" + secret, msg = "")), timestamp in s. */
export function feishuSign(secret: string, timestampS: string): string {
  return hmac(`${timestampS}\n${secret}`, '').digest('base64');
}

/** Cuts a UTF-8 string to at most `bytes` bytes without splitting a character. */
function clipBytes(s: string, bytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= bytes) return s;
  return `${buf.subarray(0, bytes - 3).toString('utf8').replace(/\uFFFD+$/, '')}…`;
}

function describeFetchError(err: unknown): string {
  if (err instanceof SendError) return err.message;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `timeout after ${SEND_TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; reply: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Tianshu-Notifier/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    throw new SendError(describeFetchError(err));
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    throw new SendError(describeFetchError(err), res.status);
  }
  if (res.status < 200 || res.status > 299) {
    const snippet = text.slice(0, MAX_REPLY_CHARS).trim();
    throw new SendError(`HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, res.status);
  }
  let reply: unknown = null;
  try {
    reply = text ? JSON.parse(text) : null;
  } catch {
    reply = null;
  }
  return { status: res.status, reply };
}

function vendorError(reply: unknown, field: 'errcode' | 'code', messageField: 'errmsg' | 'msg'): string | null {
  if (!reply || typeof reply !== 'object') return null;
  const r = reply as Record<string, unknown>;
  const code = r[field];
  if (code === undefined || code === null || Number(code) === 0) return null;
  return `${field} ${String(code)}: ${String(r[messageField] ?? '').slice(0, MAX_REPLY_CHARS)}`;
}

/** Appends query parameters without re-encoding the configured URL (its access token stays as given). */
function withQuery(url: string, extra: Record<string, string>): string {
  const [base = url, hash] = url.split('#', 2);
  const q = Object.entries(extra)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${q}${hash === undefined ? '' : `#${hash}`}`;
}

/** Sends one message to a channel; returns the receiver's HTTP status. */
export async function sendToChannel(target: ChannelTarget, msg: ChannelMessage, now = new Date()): Promise<number> {
  switch (target.kind) {
    case 'webhook': {
      const rawBody = JSON.stringify({
        event: msg.event,
        deliveryId: msg.deliveryId,
        occurredAt: msg.occurredAt,
        params: msg.params,
        ticketId: msg.ticketId,
        link: msg.link,
        title: msg.title,
        text: msg.text,
      });
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const headers: Record<string, string> = {
        'X-Tianshu-Event': msg.event,
        'X-Tianshu-Delivery': msg.deliveryId === null ? 'test' : String(msg.deliveryId),
        'X-Tianshu-Timestamp': timestamp,
      };
      if (target.secret) headers['X-Tianshu-Signature'] = webhookSignature(target.secret, timestamp, rawBody);
      return (await postJson(target.url, rawBody, headers)).status;
    }
    case 'dingtalk': {
      let url = target.url;
      if (target.secret) {
        const ts = String(now.getTime());
        // The base64 signature is URL-encoded (+ / =), DingTalk's last signing step.
        url = withQuery(url, { timestamp: ts, sign: dingtalkSign(target.secret, ts) });
      }
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: msg.title, text: clipBytes(msg.markdown, 18_000) } });
      const { status, reply } = await postJson(url, body);
      const err = vendorError(reply, 'errcode', 'errmsg');
      if (err) throw new SendError(err, status);
      return status;
    }
    case 'wecom': {
      // WeCom robots take at most 4096 bytes of markdown.
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: clipBytes(msg.markdown, 4096) } });
      const { status, reply } = await postJson(target.url, body);
      const err = vendorError(reply, 'errcode', 'errmsg');
      if (err) throw new SendError(err, status);
      return status;
    }
    case 'feishu': {
      const payload: Record<string, unknown> = {};
      if (target.secret) {
        const ts = String(Math.floor(now.getTime() / 1000));
        payload.timestamp = ts;
        payload.sign = feishuSign(target.secret, ts);
      }
      payload.msg_type = 'text';
      payload.content = { text: clipBytes(msg.text, 18_000) };
      const { status, reply } = await postJson(target.url, JSON.stringify(payload));
      const err = vendorError(reply, 'code', 'msg');
      if (err) throw new SendError(err, status);
      return status;
    }
  }
}

export type Mailer = {
  send(mail: { to: string; subject: string; text: string; html: string; headers?: Record<string, string> }): Promise<void>;
  close(): void;
};

/** One SMTP connection for a batch of mails (nodemailer, connection parameters from SMTP_URL). */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 2,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: 2 * SEND_TIMEOUT_MS,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from, ...mail });
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
        throw new SendError((e.response ?? `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`).slice(0, MAX_REPLY_CHARS), e.responseCode ?? null);
      }
    },
    close() {
      transport.close();
    },
  };
}
