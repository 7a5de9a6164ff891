import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface AnalyticsProcess {
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the process's whole group (it runs detached, so nothing it spawned outlives the test). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (graceful stop) and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the analytics service as a real OS process, as its `start` script does
 * (`node --import tsx subgraphs/analytics/src/index.ts`), on a free port; resolves once it listens.
 */
export function startAnalyticsProcess(env: Record<string, string>): Promise<AnalyticsProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/analytics/src/index.ts'], {
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
      reject(new Error(`analytics process did not start in ${START_TIMEOUT_MS} ms:\n${output.join('')}`));
    }, START_TIMEOUT_MS);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`analytics process exited before listening (${code ?? signal}):\n${output.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'analytics subgraph listening') {
          clearTimeout(timer);
          resolve({
            baseUrl: `http://127.0.0.1:${entry.port}`,
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
