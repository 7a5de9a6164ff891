import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

/** A free loopback port (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Proc {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `args` as its own process group (so stopping it stops what it started), its output in
 * `logDir/<name>.log`, and waits until `readyPath` answers 200.
 */
export async function startProcess({ name, command, args, env, port, readyPath, logDir, cwd = ROOT, timeoutMs = 60_000, readyMethod = 'GET', readyBody }: {
  name: string;
  command: string;
  args: string[];
  /** Merged over this process's environment; an undefined value removes the variable. */
  env: Record<string, string | undefined>;
  port: number;
  readyPath: string;
  logDir: string;
  cwd?: string;
  timeoutMs?: number;
  readyMethod?: 'GET' | 'POST';
  readyBody?: string;
}): Promise<Proc> {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`));
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) merged[k] = v;
  const child = spawn(command, args, { cwd, env: merged, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} before it was ready; see ${join(logDir, `${name}.log`)}`);
    const ok = await fetch(url + readyPath, { method: readyMethod, body: readyBody, headers: readyBody ? { 'content-type': 'application/json' } : {} })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      stopGroup(child);
      throw new Error(`${name} not ready after ${timeoutMs} ms; see ${join(logDir, `${name}.log`)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    url,
    child,
    stop: () => {
      if (exited !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => stopGroup(child, 'SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        stopGroup(child);
      });
    },
  };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* already gone */
  }
}

/** Node flags for a service; `--cpu-prof` when BENCH_PROFILE names it (profile written when it exits). */
function nodeArgs(service: string, entry: string, profileDir: string): string[] {
  const profiled = (process.env.BENCH_PROFILE ?? '').split(',').includes(service);
  return [...(profiled ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), '--import', 'tsx', entry];
}

export interface Platform {
  gatewayUrl: string;
  inventoryUrl: string;
  ordersUrl: string;
  procs: Proc[];
  stop(): Promise<void>;
}

/**
 * The platform as separate processes (one per service) on real PostgreSQL and Redis, what
 * `npm start -w <service>` runs, each on a free port.
 */
export async function startPlatform({ databaseUrl, redisUrl, channelPrefix, logDir, profileDir }: {
  databaseUrl: string;
  redisUrl: string;
  channelPrefix: string;
  logDir: string;
  profileDir: string;
}): Promise<Platform> {
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    EVENTS_CHANNEL_PREFIX: channelPrefix,
  };
  const [inventoryPort, ordersPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const procs: Proc[] = [];
  // The gateway's /readyz also checks services the benchmark does not start (analytics, media, access):
  // it is waited for on /healthz; the subgraphs it routes to are ready by then.
  const start = async (name: string, entry: string, port: number, env: Record<string, string>, readyPath = '/readyz') => {
    const proc = await startProcess({ name, command: process.execPath, args: nodeArgs(name, entry, profileDir), env: { ...common, ...env, PORT: String(port) }, port, readyPath, logDir });
    procs.push(proc);
    return proc.url;
  };
  try {
    const inventoryUrl = await start('inventory', 'subgraphs/inventory/src/index.ts', inventoryPort, {});
    const ordersUrl = await start('orders', 'subgraphs/orders/src/index.ts', ordersPort, { INVENTORY_URL: inventoryUrl });
    // The rate limiter runs (its Redis round trip is part of every request's cost) but with buckets no
    // benchmark empties: Hive Gateway, the P1 baseline, has no limiter, and a refusal is not throughput.
    const unlimited = { RATE_LIMIT_TENANT_CAPACITY: '1000000000', RATE_LIMIT_TENANT_REFILL_PER_SECOND: '1000000000', RATE_LIMIT_USER_CAPACITY: '1000000000', RATE_LIMIT_USER_REFILL_PER_SECOND: '1000000000' };
    const gatewayUrl = await start('gateway', 'gateway/src/index.ts', gatewayPort, { INVENTORY_URL: inventoryUrl, ORDERS_URL: ordersUrl, GRAPHIQL_ENABLED: 'false', ...unlimited }, '/healthz');
    return { gatewayUrl, inventoryUrl, ordersUrl, procs, stop: () => stopAll(procs) };
  } catch (error) {
    await stopAll(procs);
    throw error;
  }
}

async function stopAll(procs: Proc[]) {
  for (const proc of [...procs].reverse()) await proc.stop();
}

/**
 * Hive Gateway (`@graphql-hive/gateway`) over a copy of our supergraph whose subgraph URLs point at
 * the running subgraphs, forwarding the caller's token, in its own process.
 */
export async function startPeerGateway({ subgraphUrls, logDir, workDir }: { subgraphUrls: Record<string, string>; logDir: string; workDir: string }): Promise<Proc> {
  mkdirSync(workDir, { recursive: true });
  let supergraph = readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8');
  supergraph = supergraph.replace(/@join__graph\(name: "(\w+)", url: "[^"]+"\)/g, (whole, name: string) =>
    subgraphUrls[name] ? `@join__graph(name: "${name}", url: "${subgraphUrls[name]}/graphql")` : whole,
  );
  writeFileSync(join(workDir, 'supergraph.graphql'), supergraph);
  const port = await freePort();
  writeFileSync(
    join(workDir, 'gateway.config.mjs'),
    `export const gatewayConfig = {
  supergraph: ${JSON.stringify(join(workDir, 'supergraph.graphql'))},
  port: ${port},
  host: '127.0.0.1',
  logging: 'error',
  graphiql: false,
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }) },
};
`,
  );
  return startProcess({
    name: 'hive-gateway',
    command: process.execPath,
    args: [join(ROOT, 'node_modules/@graphql-hive/gateway/dist/bin.js'), 'supergraph', join(workDir, 'supergraph.graphql'), '--port', String(port), '--host', '127.0.0.1'],
    env: { NODE_ENV: 'production' },
    cwd: workDir,
    port,
    readyPath: '/graphql',
    readyMethod: 'POST',
    readyBody: JSON.stringify({ query: '{ __typename }' }),
    logDir,
  });
}
