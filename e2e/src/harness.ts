import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, onTestFailed } from 'vitest';
import { loadConfig } from '../../server/src/platform/config/config.ts';
import { startServer, type RunningServer } from '../../server/src/main.ts';
import { TEST_PASSWORD } from '../../server/src/test/factories.ts';

export const ADMIN_PASSWORD = 'E2e-Admin-Passw0rd!';
export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

/** A real server (built web app, PGlite in a temp dir, random port) for browser tests. */
export async function startE2eServer(): Promise<RunningServer & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TIANSHU_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  if (!fs.existsSync(path.join(config.webDistDir, 'index.html'))) throw new Error('web/dist is missing: run npm run build');
  const server = await startServer(config, { logger: false });
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Browser tests need Debian's chromium at ${executablePath}: sudo apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(browser: Browser, opts: { mobile?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'zh-CN',
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1366, height: 900 },
    ...(opts.mobile ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  return { context, page };
}

/** Keeps a full-page screenshot of every page in play when the current test fails (call from beforeEach). */
export function screenshotOnFailure(pages: () => Page[]) {
  onTestFailed(async ({ task }) => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const base = task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
    let i = 0;
    for (const p of pages()) {
      i += 1;
      await p.screenshot({ path: path.join(ARTIFACTS, `${base}-${i}.png`), fullPage: true }).catch(() => undefined);
    }
  });
}

/** Signs in through the login page (test users share TEST_PASSWORD) and waits to leave it. */
export async function signIn(page: Page, baseUrl: string, username: string, password = TEST_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.fill(tid('login-username'), username);
  await page.fill(tid('login-password'), password);
  await page.click(tid('login-submit'));
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

/** A JSON API client with a session cookie and CSRF header, for setting up data. */
export async function apiLogin(baseUrl: string, username: string, password: string) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': me.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    cookie,
    get: <T>(url: string) => call<T>('GET', url),
    post: <T>(url: string, body?: unknown) => call<T>('POST', url, body),
    patch: <T>(url: string, body?: unknown) => call<T>('PATCH', url, body),
    put: <T>(url: string, body?: unknown) => call<T>('PUT', url, body),
    raw: (url: string) => fetch(`${baseUrl}${url}`, { headers: { cookie } }),
  };
}

/** Per-file setup: a real server and a browser before the tests, screenshots of failing tests, cleanup after. */
export function useE2e() {
  const env = { pages: [] as Page[] } as { server: Awaited<ReturnType<typeof startE2eServer>>; browser: Browser; pages: Page[] };
  beforeAll(async () => {
    env.server = await startE2eServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  beforeEach(() => screenshotOnFailure(() => env.pages));
  return env;
}

/** A CSS selector for a data-testid. */
export const tid = (id: string) => `[data-testid="${id}"]`;

/**
 * Picks an antd Select option by its text and waits until the select shows it (the dropdown animates).
 * A multiple select stays open after a pick, so it is closed with Escape.
 */
export async function pickOption(page: Page, selectId: string, text: string, multiple = false) {
  for (let attempt = 1; ; attempt++) {
    // A dropdown of an earlier select may still be animating closed and match the option text: wait it out.
    await page
      .waitForFunction(() => Array.from(document.querySelectorAll('.ant-select-dropdown')).every((d) => d.classList.contains('ant-select-dropdown-hidden') || (d as HTMLElement).offsetParent === null), undefined, { timeout: 5000 })
      .catch(() => undefined);
    await page.click(tid(selectId));
    const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option:has-text("${text}")`).first();
    const clicked = await option
      .click({ timeout: 10_000 })
      .then(() => true)
      .catch((err: unknown) => {
        if (attempt >= 3) throw err;
        return false;
      });
    const shown = clicked && await page
      .waitForFunction(([sel, want]) => (document.querySelector(sel)?.textContent ?? '').includes(want), [tid(selectId), text] as const, { timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (shown) {
      if (multiple) await page.keyboard.press('Escape');
      return;
    }
    if (attempt >= 3) throw new Error(`could not pick "${text}" in ${selectId}`);
    await page.keyboard.press('Escape');
  }
}

/** Waits until some element matching `selector` has `want` in its text (closed antd modals linger in the DOM). */
export const textContains = (page: Page, selector: string, want: string, timeout = 30_000) =>
  page.waitForFunction(([sel, w]) => Array.from(document.querySelectorAll(sel)).some((e) => (e.textContent ?? '').includes(w)), [selector, want] as const, { timeout });

/**
 * Clicks until `done` resolves: a click that lands while a modal is still animating open can be
 * lost. `done` should wait a few seconds at most; the last attempt's failure is thrown.
 */
export async function clickUntil(page: Page, selector: string, done: () => Promise<unknown>, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    await page.click(selector);
    try {
      await done();
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

/** Confirms a modal; a click during its opening animation can be lost, so it retries until the modal closes. */
export async function confirmModal(page: Page, okId = 'modal-ok') {
  await clickUntil(page, tid(okId), () => page.waitForSelector(tid(okId), { state: 'hidden', timeout: 5000 }));
}
