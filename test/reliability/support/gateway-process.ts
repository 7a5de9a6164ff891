import { readFileSync } from 'node:fs';
import { freePort } from '../../support/spawn-start.ts';
import { killGroup, spawnLogged, until, answers, type LoggedProcess } from '../../support/spawn-process.ts';

export interface GatewayProcess {
  url: string;
  wsUrl: string;
  pid: number;
  process: LoggedProcess;
  /** Resident memory of the gateway process now, in bytes (VmRSS from /proc/<pid>/status). */
  rss(): number;
  /** One sample of a Prometheus gauge or counter from the gateway's /metrics (summed over labels). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The gateway as its own process (`node --import tsx gateway/src/index.ts`, as the launcher runs it)
 * in front of subgraphs the test already runs, so its memory is its own and can be read from /proc.
 */
export async function startGatewayProcess({ subgraphs, env = {} }: { subgraphs: Record<'inventory' | 'orders' | 'analytics' | 'access' | 'media', string>; env?: Record<string, string> }): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawnLogged('node', ['--import', 'tsx', 'gateway/src/index.ts'], {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    INVENTORY_URL: subgraphs.inventory,
    ORDERS_URL: subgraphs.orders,
    ANALYTICS_URL: subgraphs.analytics,
    ACCESS_URL: subgraphs.access,
    MEDIA_URL: subgraphs.media,
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(() => answers(`${base}/healthz`), 'the gateway process answers /healthz', { timeoutMs: 60_000 });
  } catch (error) {
    killGroup(child.child);
    throw new Error(`${(error as Error).message}\n${child.output()}`);
  }
  const pid = child.child.pid!;
  return {
    url: `${base}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    pid,
    process: child,
    rss: () => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) * 1024,
    async metric(name) {
      const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      return text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    },
    async stop() {
      if (child.child.exitCode === null) child.child.kill('SIGTERM');
      const stopped = await Promise.race([child.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
      if (!stopped) killGroup(child.child);
    },
  };
}
