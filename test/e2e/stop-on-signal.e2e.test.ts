import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { portEnv, services } from '@stockline/registry';
import { TEST_REDIS_URL, createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { freePort } from '../support/spawn-start.ts';
import { answers, descendants, isAlive, killGroup, spawnLogged, until, type LoggedProcess } from '../support/spawn-process.ts';

// A process manager or container runtime signals one process, not its group. npm, signalled alone,
// exits without passing the signal on; whatever it started must notice and stop (issue 16).

const started: LoggedProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const p of started) killGroup(p.child);
  for (const c of cleanup) await c();
});

async function ports(): Promise<Record<string, string> & { PORT: string }> {
  const env: Record<string, string> & { PORT: string } = { PORT: String(await freePort()) };
  for (const s of services()) if (s.name !== 'gateway') env[portEnv(s.name)] = String(await freePort());
  return env;
}

/** Signals npm's pid only, then expects every process it had started gone and the port silent. */
async function expectSignalToNpmAloneStopsAll(run: LoggedProcess, port: string) {
  const below = descendants(run.child.pid!);
  expect(below.length).toBeGreaterThan(1);
  process.kill(run.child.pid!, 'SIGTERM');
  await until(() => below.every((pid) => !isAlive(pid)), `processes ${below.join(', ')} gone`, { timeoutMs: 45_000 });
  expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(false);
  expect(run.output()).toContain('Stockline stopped cleanly.');
}

describe('SIGTERM to the npm start process alone (not its group)', () => {
  it('stops the platform on embedded defaults', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stockline-signal-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const env = { ...(await ports()), STOCKLINE_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
    const run = spawnLogged('npm', ['start'], env);
    started.push(run);
    await run.waitFor(/Stockline is up/, { timeoutMs: 180_000 });
    expect((await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).status).toBe(200);
    await expectSignalToNpmAloneStopsAll(run, env.PORT);
  }, 240_000);

  it('stops every service process on real PostgreSQL and Redis', async () => {
    const database: TestDatabase = await createTestDatabase('signal');
    cleanup.push(() => database.drop());
    const env = { ...(await ports()), DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: `sig.${randomBytes(4).toString('hex')}.`, SEED_DEMO: 'false', LOG_LEVEL: 'warn', ANALYTICS_DB_PATH: ':memory:' };
    const run = spawnLogged('npm', ['start'], env);
    started.push(run);
    await run.waitFor(/Stockline is up/, { timeoutMs: 240_000 });
    expect((await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).status).toBe(200);
    await expectSignalToNpmAloneStopsAll(run, env.PORT);
  }, 300_000);
});

describe('npm start -w @stockline/inventory (one service alone)', () => {
  it('refuses to start without DATABASE_URL, saying what it needs', async () => {
    const run = spawnLogged('npm', ['start', '-w', '@stockline/inventory'], { PORT: String(await freePort()) });
    started.push(run);
    const { code } = await run.closed;
    expect(code).toBe(1);
    expect(run.output()).toContain('DATABASE_URL: is required to run this service alone: a PostgreSQL URL such as postgresql://');
    expect(run.output()).not.toContain('expected string');
  }, 120_000);

  it('runs given DATABASE_URL, and stops when npm alone is signalled', async () => {
    const database = await createTestDatabase('alone');
    cleanup.push(() => database.drop());
    const port = String(await freePort());
    const run = spawnLogged('npm', ['start', '-w', '@stockline/inventory'], { PORT: port, HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    started.push(run);
    await run.waitFor(/inventory subgraph listening/, { timeoutMs: 120_000 });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const below = descendants(run.child.pid!);
    process.kill(run.child.pid!, 'SIGTERM');
    await until(() => below.every((pid) => !isAlive(pid)), `processes ${below.join(', ')} gone`, { timeoutMs: 30_000 });
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(false);
  }, 180_000);
});
