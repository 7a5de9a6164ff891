import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on right now. */
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

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  token: string | null;
  /** Signals the process group; resolves true when the platform said it stopped cleanly. */
  stop(signal?: NodeJS.Signals): Promise<boolean>;
}

/**
 * Runs `npm start` from the repository root as a real process group, with only the environment given
 * (plus PATH and HOME), and resolves once it prints that it is up, with the dev token it printed.
 */
export async function spawnStart(env: Record<string, string>, { timeoutMs = 90_000 } = {}): Promise<StartedProcess> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // 'close' waits for every process holding the output pipes, not only npm.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('Stockline is up')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  const token = output.match(/\n\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)\s*\n/)?.[1] ?? null;
  return {
    child,
    output: () => output,
    token,
    async stop(signal = 'SIGTERM') {
      // The whole group, as a terminal's Ctrl-C or a supervisor would; npm itself then reports 143,
      // so a clean stop is told by the platform's own last line.
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
      await exited;
      return output.includes('Stockline stopped cleanly.');
    },
  };
}
