import { existsSync } from 'node:fs';
import { callees, servicePath, services, startOrder, urlEnv, type ServiceEntry } from '@stockline/registry';
import { freePort } from './free-port.ts';
import { SupervisedService } from './supervised-service.ts';

/** Every service's entry point, relative to its folder (`npm start -w <workspace>` runs the same file). */
const ENTRY = 'src/index.ts';

export interface RunServicesOptions {
  /** Environment every service gets (each reads what it needs); PORT, HOST and `<NAME>_URL` are set per service. */
  env: Record<string, string | undefined>;
  /** Port of each service by name; 0 (or missing) picks a free one. */
  ports: Record<string, number>;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  write: (line: string) => void;
  /** The services to run. @default every service of the registry whose folder exists */
  only?: ServiceEntry[];
}

/**
 * Runs each service as its own child process, in dependency order: a service is spawned once every
 * service it depends on answers /readyz (services that do not depend on each other start together). Crashed services are restarted with backoff by their
 * supervisor; `stop()` stops them in reverse order. A service that fails to start stops the others
 * and rejects.
 */
export function runServices({ env, ports, readyTimeoutMs, stopTimeoutMs, write, only = services({ present: true }) }: RunServicesOptions) {
  // A service still being built (no entry point yet) is left out, and said so.
  const skipped = only.filter((s) => !existsSync(servicePath(s, ENTRY)));
  const order = startOrder(only.filter((s) => !skipped.includes(s)));
  const host = env.HOST ?? '127.0.0.1';
  const width = Math.max('launcher'.length, ...order.map((s) => s.name.length));
  for (const s of skipped) write(`${'launcher'.padEnd(width)} | ${s.name} skipped: ${s.dir}/${ENTRY} does not exist yet`);
  const running: SupervisedService[] = [];
  let stopping: Promise<void> | null = null;

  const stop = () => {
    stopping ??= (async () => {
      for (const supervised of [...running].reverse()) await supervised.stop(stopTimeoutMs);
    })();
    return stopping;
  };

  return {
    /** Supervisors in the order they were spawned (their `pid`, `pids`, `restarts`). */
    services: running,
    /** Starts every service in order; resolves with their base URLs by name. Rejects (after stopping the others) when one fails. */
    async start(): Promise<Record<string, string>> {
      const urls: Record<string, string> = {};
      for (const s of order) urls[s.name] = `http://127.0.0.1:${ports[s.name] || (await freePort())}`;
      // Each service starts as soon as the services it depends on are ready: independent ones start together.
      const ready = new Map<string, Promise<void>>();
      for (const s of order) {
        const deps = s.dependsOn.filter((d) => ready.has(d)).map((d) => ready.get(d)!);
        ready.set(s.name, Promise.all(deps).then(async () => {
          if (stopping) throw new Error('stopped while starting');
          const calls = Object.fromEntries(callees(s).filter((name) => urls[name]).map((name) => [urlEnv(name), urls[name]]));
          const supervised = new SupervisedService({
            name: s.name,
            cwd: servicePath(s),
            entry: ENTRY,
            env: { ...env, ...calls, PORT: new URL(urls[s.name]).port, HOST: host },
            url: urls[s.name],
            write,
            prefixWidth: width,
          });
          running.push(supervised);
          supervised.start();
          await supervised.waitReady(readyTimeoutMs);
          write(`${'launcher'.padEnd(width)} | ${s.name} ready at ${urls[s.name]}`);
        }).catch((error: unknown) => {
          void stop(); // the first failure stops the rest at once, instead of letting them finish starting
          throw error;
        }));
      }
      const results = await Promise.allSettled(ready.values());
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        await stop();
        throw results.map((r) => (r.status === 'rejected' ? (r.reason as Error) : null)).find((e) => e && !/stopped (while|before)/.test(e.message)) ?? failed.reason;
      }
      return urls;
    },
    /** Stops every service, the last started first (SIGTERM, SIGKILL after the timeout). Idempotent. */
    stop,
  };
}

export type ServiceRunner = ReturnType<typeof runServices>;
