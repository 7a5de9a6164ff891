/**
 * End-to-end test of the self-hosted GraphiQL page: a real Chromium loads it
 * from a tiny Express app and we check it stays on its own origin.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`);
 * without it the suite fails on purpose rather than skipping, so a machine
 * that cannot run it never reports green.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import express from 'express';
import { buildSchema, graphql } from 'graphql';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEFAULT_GRAPHIQL_DIST_DIR,
  GRAPHIQL_CSP,
  GRAPHIQL_NOT_BUILT_MESSAGE,
  injectPageConfig,
  serveGraphiql,
} from '../src/graphiql/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TOKEN = 'Bearer test-token';
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Set e.g. GRAPHIQL_SCREENSHOT=/tmp/graphiql.png to keep a picture of the page. */
const SCREENSHOT = process.env.GRAPHIQL_SCREENSHOT;

/** A stand-in for the gateway's /graphql: enough schema for introspection and one query. */
const schema = buildSchema('type Query { "Says hello." hello: String }');

/** Runs in the page before its own scripts: collects CSP violations into `window.__cspViolations`. */
const CSP_RECORDER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
`;

/** Everything the page asked for, as seen from the browser. */
interface Observed {
  requests: string[];
  webSockets: string[];
  workers: string[];
  consoleErrors: string[];
  /** Authorization headers that reached /graphql. */
  authorizations: (string | undefined)[];
}

let server: Server;
let origin: string;
let browser: Browser | undefined;
/** Set by openPage(); browser tests call that first. */
let page: Page;
const observed: Observed = { requests: [], webSockets: [], workers: [], consoleErrors: [], authorizations: [] };

async function buildPageIfMissing(): Promise<void> {
  if (existsSync(join(DEFAULT_GRAPHIQL_DIST_DIR, 'index.html'))) return;
  await promisify(execFile)('npm', ['run', 'build', '-w', '@stockline/gateway'], {
    cwd: REPO_ROOT,
    timeout: 120_000,
  });
}

async function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
}

function createApp(): express.Express {
  const app = express();
  app.use('/graphiql', serveGraphiql({ defaultHeaders: { Authorization: TOKEN } }));
  app.post('/graphql', express.json(), async (req, res) => {
    observed.authorizations.push(req.get('authorization'));
    const { query, variables, operationName } = req.body as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    res.json(
      await graphql({
        schema,
        source: query,
        variableValues: variables,
        operationName,
        rootValue: { hello: 'world' },
      }),
    );
  });
  return app;
}

/** True when `url` stays on the page's own origin (data: and same-origin blob: URLs never leave the browser). */
function isSameOrigin(url: string): boolean {
  if (url.startsWith('data:')) return true;
  const target = new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url);
  const page = new URL(origin);
  if (target.protocol === 'ws:' || target.protocol === 'wss:') return target.host === page.host;
  return target.origin === page.origin;
}

/** The text Monaco shows in the headers editor (Monaco renders spaces as U+00A0). */
async function headersEditorText(): Promise<string> {
  const lines = page.locator('section.graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines');
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Launches Chromium and opens the page, once; every browser test awaits it.
 * Done inside the tests rather than in beforeAll so a missing Chromium marks
 * each of them failed (vitest shows tests under a failed beforeAll as skipped).
 */
let pageReady: Promise<Page> | undefined;
function openPage(): Promise<Page> {
  pageReady ??= (async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\``);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // CSP-blocked loads may never reach the network, so `request` events can miss them: record the violations too.
    // (Given as source text: the root tsconfig has no DOM types for browser-side callbacks.)
    await context.addInitScript({ content: CSP_RECORDER });
    // Context-level so requests from workers and popups are counted, not only the page's own.
    context.on('request', (r) => observed.requests.push(r.url()));
    const p = await context.newPage();
    p.on('websocket', (ws) => observed.webSockets.push(ws.url()));
    p.on('worker', (w) => observed.workers.push(w.url()));
    p.on('console', (m) => {
      if (m.type() === 'error') observed.consoleErrors.push(m.text());
    });
    await p.goto(`${origin}/graphiql/`, { waitUntil: 'load' });
    page = p;
    return p;
  })();
  return pageReady;
}

beforeAll(async () => {
  // The build takes ~20 s on two cores with vite 7; only needed on a fresh checkout.
  await buildPageIfMissing();
  server = await listen(createApp());
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

// Generous: the first test launches Chromium and loads ~7 MB of assets.
describe('GraphiQL page in Chromium', { timeout: 60_000 }, () => {
  it('renders the GraphiQL editor', async () => {
    await openPage();
    await page.locator('.graphiql-container').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.graphiql-query-editor .view-lines').waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('pre-fills the headers editor with the injected token', async () => {
    await openPage();
    await expect.poll(headersEditorText, { timeout: 15_000 }).toContain(`"Authorization": "${TOKEN}"`);
  });

  it('sends the pre-filled token with its schema introspection', async () => {
    await openPage();
    // The first introspection runs before the headers editor exists: the page must still send the token.
    await expect.poll(() => observed.authorizations.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(observed.authorizations[0]).toBe(TOKEN);
  });

  it('sends the pre-filled token when a query is run', async () => {
    await openPage();
    // Replace the welcome text with a query, wait until GraphiQL has taken the edit in (it stores the
    // query; before that it would still send the welcome query's operation name, "Items"), then run it.
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('{ hello');
    await expect.poll(() => page.evaluate(`Object.values(localStorage).some((v) => v.includes('{ hello'))`), { timeout: 15_000 }).toBe(true);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.result-window .view-lines').innerText(), { timeout: 15_000 }).toContain('world');
    expect(observed.authorizations.at(-1)).toBe(TOKEN);
  });

  it('loads GraphiQL with no request to any other host', async () => {
    await openPage();
    // Let lazy chunks (docs, prettier, workers) settle before judging.
    await page.waitForLoadState('networkidle');
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });

    const offOrigin = [...observed.requests, ...observed.webSockets, ...observed.workers].filter((u) => !isSameOrigin(u));
    expect(offOrigin).toEqual([]);
    expect(observed.requests.length).toBeGreaterThan(2); // sanity: we did see the page load its assets
    expect(observed.requests.some((u) => u.startsWith(`${origin}/graphiql/assets/`))).toBe(true);
    expect(await page.evaluate('window.__cspViolations')).toEqual([]);
    expect(observed.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  });
});

describe('serveGraphiql over HTTP', () => {
  it('serves index.html with a strict CSP, no-cache, and the injected configuration', async () => {
    const res = await fetch(`${origin}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(GRAPHIQL_CSP);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toContain(`window.__STOCKLINE__ = {"defaultHeaders":{"Authorization":"${TOKEN}"}};`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no absolute or protocol-relative asset URL
  });

  it('serves hashed assets with a one-year immutable cache', async () => {
    const html = await (await fetch(`${origin}/graphiql/`)).text();
    const asset = /src="(\/graphiql\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const res = await fetch(`${origin}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 503 with the build command when the page has not been built', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'graphiql-missing-'));
    const app = express().use('/graphiql', serveGraphiql({ distDir: join(emptyDir, 'dist') }));
    const s = await listen(app);
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/graphiql/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe(GRAPHIQL_NOT_BUILT_MESSAGE);
      expect(GRAPHIQL_NOT_BUILT_MESSAGE).toContain('npm run build -w @stockline/gateway');
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
      await rm(emptyDir, { recursive: true, force: true });
    }
  });

  it('escapes "<" in injected values so a header cannot close the script tag', async () => {
    const html = injectPageConfig('<html><head></head><body></body></html>', {
      defaultHeaders: { 'X-Evil': '</script><script>alert(1)</script> $& $\'' },
    });
    expect(html.match(/<\/script>/g)).toHaveLength(1); // only the injected tag's own end
    const json = /window\.__STOCKLINE__ = (.*);<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual({ defaultHeaders: { 'X-Evil': '</script><script>alert(1)</script> $& $\'' } });
  });

  it('serves a page built into a custom distDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'graphiql-dist-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><html><head></head><body>custom</body></html>');
    const s = await listen(express().use('/graphiql', serveGraphiql({ distDir: dir })));
    try {
      const html = await (await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/graphiql/index.html`)).text();
      expect(html).toContain('window.__STOCKLINE__ = {"defaultHeaders":{}};');
      expect(html).toContain('custom');
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
