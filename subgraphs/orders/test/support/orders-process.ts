import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface OrdersProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited: its exit code or the signal that killed it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the process's whole group (it runs detached, so nothing it spawned outlives the test). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (graceful stop) and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the orders service as a real OS process, as its `start` script does
 * (`node --import tsx subgraphs/orders/src/index.ts`), with `env`, on a free port; resolves once it
 * listens (read from its JSON log line).
 */
export function startOrdersProcess(env: Record<string, string>): Promise<OrdersProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/orders/src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const output: string[] = [];
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`orders process did not start in ${START_TIMEOUT_MS} ms:\n${output.join('')}`));
    }, START_TIMEOUT_MS);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`orders process exited before listening (${code ?? signal}):\n${output.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'orders subgraph listening') {
          clearTimeout(timer);
          resolve({
            url: `http://127.0.0.1:${entry.port}/graphql`,
            child,
            exited,
            kill,
            async stop() {
              kill('SIGTERM');
              await exited;
            },
          });
        }
      } catch {
        // not a log line
      }
    });
  });
}
