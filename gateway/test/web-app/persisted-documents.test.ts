/**
 * Automatic persisted queries (Apollo Server's own APQ, through the whole gateway chain) and the optional
 * trusted-documents mode, against a real gateway over HTTP with stub subgraphs; and /app's headers.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { tokenFor } from '@stockline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../support/start-gateway.ts';
import { startStubSubgraphs, type StubSubgraphs } from '../support/stub-subgraphs.ts';
import { injectWebAppConfig, loadTrustedDocuments, serveWebApp, webAppCsp, WEB_APP_NOT_BUILT_MESSAGE } from '../../src/web-app/index.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SHIPPED = '{ items(first: 3) { totalCount } }';
const UNKNOWN = '{ items(first: 4) { totalCount } }';

let stubs: StubSubgraphs;
let token: string;
let dir: string;
const stops: (() => Promise<void>)[] = [];

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

beforeAll(async () => {
  stubs = await startStubSubgraphs();
  token = await tokenFor('apq', ['viewer']);
  dir = await mkdtemp(join(tmpdir(), 'trusted-'));
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await stubs?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('automatic persisted queries', () => {
  it('answers PERSISTED_QUERY_NOT_FOUND to an unknown hash, then serves the hash alone once the document was sent with it', async () => {
    const { server, url } = await startGateway(stubs.env);
    stops.push(() => server.stop());
    const first = await post(url, { extensions: persisted(SHIPPED) });
    expect(first.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(first.body.errors?.[0].message).toBe('PersistedQueryNotFound');
    const registered = await post(url, { query: SHIPPED, extensions: persisted(SHIPPED) });
    expect(registered.body.data?.items.totalCount).toBe(7);
    const byHash = await post(url, { extensions: persisted(SHIPPED) });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual({ data: { items: { totalCount: 7 } }, extensions: expect.anything() });
  });

  it('refuses a document sent with a hash that is not its own', async () => {
    const { server, url } = await startGateway(stubs.env);
    stops.push(() => server.stop());
    const res = await post(url, { query: SHIPPED, extensions: persisted(UNKNOWN) });
    // Apollo refuses it with 400 before execution; nothing is stored under the wrong hash.
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect((await post(url, { extensions: persisted(UNKNOWN) })).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('trusted documents mode', () => {
  let url: string;
  beforeAll(async () => {
    const manifest = join(dir, 'persisted-documents.json');
    await writeFile(manifest, JSON.stringify({ [sha256(SHIPPED)]: SHIPPED }));
    const gateway = await startGateway({ ...stubs.env, TRUSTED_DOCUMENTS_ONLY: 'true', TRUSTED_DOCUMENTS_MANIFEST: manifest });
    stops.push(() => gateway.server.stop());
    url = gateway.url;
  });

  it('refuses a document that is not in the manifest with PERSISTED_QUERY_NOT_ALLOWED, sent in full or by hash', async () => {
    const before = stubs.calls();
    for (const body of [{ query: UNKNOWN }, { extensions: persisted(UNKNOWN) }, { query: UNKNOWN, extensions: persisted(UNKNOWN) }, { query: '{ __schema { types { name } } }' }]) {
      const res = await post(url, body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
    expect(stubs.calls()).toBe(before);
  });

  it('serves a shipped document by its hash alone on the first request, and in full', async () => {
    expect((await post(url, { extensions: persisted(SHIPPED) })).body.data).toEqual({ items: { totalCount: 7 } });
    expect((await post(url, { query: SHIPPED })).body.data).toEqual({ items: { totalCount: 7 } });
  });

  it('refuses to start on a manifest that is missing or whose hashes do not match', async () => {
    expect(() => loadTrustedDocuments(join(dir, 'absent.json'))).toThrow(/cannot be read.*npm run build -w @stockline\/web/);
    const forged = join(dir, 'forged.json');
    await writeFile(forged, JSON.stringify({ [sha256(SHIPPED)]: UNKNOWN }));
    expect(() => loadTrustedDocuments(forged)).toThrow(/is not the hash of its document/);
  });
});

describe('/app over HTTP', () => {
  it('serves the page with a self-only CSP and the development token in its configuration meta', async () => {
    const pageDir = await mkdtemp(join(tmpdir(), 'web-app-'));
    await writeFile(join(pageDir, 'index.html'), '<html><head><meta name="stockline-config" content="{}" /></head><body></body></html>');
    const server = express().use('/app', serveWebApp({ distDir: pageDir, devToken: 'a"<b>' })).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ['/app/', '/app/anything/deep']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status).toBe(200);
        const csp = res.headers.get('content-security-policy')!;
        expect(csp).toBe(webAppCsp(new URL(base).host, false));
        expect(csp).not.toMatch(/unsafe|\*|https?:|data:|blob:/);
        expect(csp).toContain(`connect-src 'self' ws://${new URL(base).host}`);
        expect(await res.text()).toContain('content="{&quot;devToken&quot;:&quot;a\\&quot;&lt;b&gt;&quot;}"');
      }
    } finally {
      server.close();
      await rm(pageDir, { recursive: true, force: true });
    }
  });

  it('answers 503 with the build command when the board is not built', async () => {
    const server = express().use('/app', serveWebApp({ distDir: join(dir, 'nothing') })).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/app/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe(WEB_APP_NOT_BUILT_MESSAGE);
    } finally {
      server.close();
    }
  });

  it('refuses a page without the configuration placeholder rather than serving it unconfigured', () => {
    expect(() => injectWebAppConfig('<html><head></head></html>', { devToken: null })).toThrow(/stockline-config/);
  });
});
