import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on loopback (free when asked; bind it soon). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true)).listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/**
 * A redis-server of the test's own on `port` (loopback, nothing on disk), which the test may stop
 * and start again on the same port without disturbing the shared Redis. Resolves once it listens.
 */
export async function startOwnRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-2_000)));
  // Up to 30 s: on a loaded 2-core CI machine a redis-server has taken longer than 10 s to listen.
  for (let i = 0; i < 600; i++) {
    if (await isListening(port)) return child;
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) before listening on port ${port}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port} within 30 s`);
}

/** Stops a redis-server started by `startOwnRedis` and waits for it to exit. */
export function stopOwnRedis(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
