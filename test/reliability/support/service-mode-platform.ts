import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { portEnv, services } from '@stockline/registry';
import { TEST_REDIS_URL, createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { freePort } from '../../support/spawn-start.ts';
import { isAlive, killGroup, spawnLogged, until, type LoggedProcess } from '../../support/spawn-process.ts';

export interface ServiceModePlatform {
  /** The gateway's GraphQL endpoint. */
  url: string;
  gatewayUrl: string;
  databaseUrl: string;
  launcher: LoggedProcess;
  /** The current pid of a service (the last one the launcher started). */
  pidOf(name: string): number;
  /** Base URL of a service (stable across restarts: the launcher keeps its port). */
  urlOf(name: string): string;
  /** SIGKILLs the current process of a service; the launcher restarts it with backoff. Returns the pid killed (null: it was not running). */
  kill(name: string): number | null;
  /** Resolves once `name` (or the gateway, for 'gateway') answers /readyz 200. */
  waitReady(name: string, timeoutMs?: number): Promise<void>;
  /** How many times the launcher restarted `name`. */
  restarts(name: string): number;
  /** Writes everything the launcher and the services printed to `path`. */
  saveOutput(path: string): void;
  /** SIGTERM to the launcher (every service stops), then the database is dropped. */
  stop(): Promise<void>;
}

/**
 * The platform as `npm start` runs it with DATABASE_URL (scripts/start.ts under the launcher: one
 * process per service, each restarted with backoff when it dies), on a fresh database, free loopback
 * ports and a channel prefix of its own — as test/e2e/service-mode.e2e.test.ts starts it.
 */
export async function startServiceModePlatform({ label, env = {}, readyTimeoutMs = 300_000 }: { label: string; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<ServiceModePlatform> {
  const database: TestDatabase = await createTestDatabase(label);
  const ports: Record<string, string> = { PORT: String(await freePort()) };
  for (const s of services()) if (s.name !== 'gateway') ports[portEnv(s.name)] = String(await freePort());
  const gatewayUrl = `http://127.0.0.1:${ports.PORT}`;
  const launcher = spawnLogged(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    ...ports,
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    EVENTS_CHANNEL_PREFIX: `rel.${randomBytes(4).toString('hex')}.`,
    RATE_LIMIT_KEY_PREFIX: `rel.${randomBytes(4).toString('hex')}.ratelimit.`,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    SEED_DEMO: 'false',
    ANALYTICS_DB_PATH: ':memory:',
    LAUNCHER_READY_TIMEOUT_MS: String(readyTimeoutMs),
    LAUNCHER_STOP_TIMEOUT_MS: '5000',
    SAGA_RECOVERY_INTERVAL_MS: '200',
    SAGA_LEASE_MS: '2000',
    ...env,
  });
  try {
    await launcher.waitFor(/Stockline is up/, { timeoutMs: readyTimeoutMs + 30_000 });
  } catch (error) {
    killGroup(launcher.child);
    await database.drop();
    throw error;
  }
  const pidOf = (name: string) => {
    const all = [...launcher.output().matchAll(new RegExp(`\\| ${name} started \\(pid (\\d+)\\)`, 'g'))];
    if (!all.length) throw new Error(`${name} was never started:\n${launcher.output().slice(-3000)}`);
    return Number(all.at(-1)![1]);
  };
  const urlOf = (name: string) => {
    if (name === 'gateway') return gatewayUrl;
    const found = launcher.output().match(new RegExp(`\\| ${name} ready at (http://[\\d.:]+)`));
    if (!found) throw new Error(`${name} has no URL yet`);
    return found[1]!;
  };
  return {
    url: `${gatewayUrl}/graphql`,
    gatewayUrl,
    databaseUrl: database.url,
    launcher,
    pidOf,
    urlOf,
    kill(name) {
      const pid = pidOf(name);
      if (!isAlive(pid)) return null;
      process.kill(pid, 'SIGKILL');
      return pid;
    },
    async waitReady(name, timeoutMs = 120_000) {
      const url = urlOf(name);
      await until(async () => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null))?.status === 200, `${name} /readyz 200`, { timeoutMs, everyMs: 250 });
    },
    saveOutput: (path) => writeFileSync(path, launcher.output()),
    restarts: (name) => [...launcher.output().matchAll(new RegExp(`\\| ${name} exited unexpectedly`, 'g'))].length,
    async stop() {
      if (launcher.child.exitCode === null && launcher.child.signalCode === null) process.kill(launcher.child.pid!, 'SIGTERM');
      await Promise.race([launcher.closed, new Promise((r) => setTimeout(r, 30_000))]);
      killGroup(launcher.child);
      await database.drop();
    },
  };
}
