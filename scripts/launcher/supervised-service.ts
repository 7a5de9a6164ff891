import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const DEFAULT_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;
/** A restarted service that stays ready this long gets its backoff reset. */
const STABLE_AFTER_MS = 30_000;
const READY_POLL_MS = 200;

export interface SupervisedServiceOptions {
  name: string;
  /** Working directory (the service's folder) and entry, run as `node --import tsx <entry>`. */
  cwd: string;
  entry: string;
  env: Record<string, string | undefined>;
  /** Base URL; `<url>/readyz` answers 200 once the service is ready. */
  url: string;
  /** Writes one line of output (the child's, prefixed, or the launcher's own). */
  write: (line: string) => void;
  /** Width the name is padded to in log prefixes. */
  prefixWidth?: number;
  firstBackoffMs?: number;
}

/**
 * One service as a child process: its output prefixed with its name, readiness polled on /readyz,
 * restarted with exponential backoff when it dies unasked, stopped with SIGTERM (SIGKILL after a
 * timeout). A small piece of a process manager; `runServices` holds one per service.
 */
export class SupervisedService {
  readonly name: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private failures = 0;
  private readySince = 0;
  /** Set once ready: from then on a crash means restart; before, it means the start failed. */
  private supervising = false;
  private startFailure: Error | null = null;
  private generation = 0;
  /** Every pid this service has had, oldest first. */
  readonly pids: number[] = [];
  restarts = 0;

  constructor(private readonly options: SupervisedServiceOptions) {
    this.name = options.name;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Spawns the process (again). */
  start(): void {
    const { cwd, entry, env, write } = this.options;
    const generation = ++this.generation;
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.pids.push(child.pid!);
    const prefix = `${this.name.padEnd(this.options.prefixWidth ?? this.name.length)} | `;
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => write(prefix + line));
    this.log(`started (pid ${child.pid})`);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        if (this.child !== child) return;
        this.child = null;
        if (this.stopping) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!this.supervising) {
          this.startFailure = new Error(`${this.name} exited (${how}) before it was ready`);
          return;
        }
        this.onCrash(how, generation);
      });
    });
  }

  /** Resolves once /readyz answers 200; rejects after `timeoutMs` or when the service is stopped. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopping) {
      if (this.startFailure) throw this.startFailure;
      if (this.child && (await this.isReady())) {
        this.readySince = Date.now();
        this.supervising = true;
        return;
      }
      if (Date.now() > deadline) throw new Error(`${this.name} was not ready at ${this.options.url}/readyz within ${timeoutMs} ms`);
      await sleep(READY_POLL_MS);
    }
    throw new Error(`${this.name} was stopped before it was ready`);
  }

  /** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`. Resolves once it has exited. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = sleep(timeoutMs, 'timeout' as const, { ref: false });
    if ((await Promise.race([this.exited.then(() => 'exited' as const), killed])) === 'timeout') {
      this.log(`did not stop within ${timeoutMs} ms; killing it`);
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  private async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.options.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  private onCrash(how: string, generation: number) {
    if (this.readySince && Date.now() - this.readySince > STABLE_AFTER_MS) this.failures = 0;
    this.readySince = 0;
    const delay = Math.min((this.options.firstBackoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** this.failures, MAX_BACKOFF_MS);
    this.failures++;
    this.restarts++;
    this.log(`exited unexpectedly (${how}); restarting in ${delay} ms (restart ${this.restarts})`);
    setTimeout(() => {
      if (this.stopping || this.generation !== generation) return;
      this.start();
      void this.announceRecovery(this.generation);
    }, delay);
  }

  /** Logs when a restarted process is ready; gives up quietly if it is replaced or stopped first. */
  private async announceRecovery(generation: number) {
    while (!this.stopping && this.generation === generation) {
      if (this.child && (await this.isReady())) {
        this.readySince = Date.now();
        this.log(`ready again (pid ${this.child?.pid})`);
        return;
      }
      await sleep(READY_POLL_MS);
    }
  }

  private log(message: string) {
    this.options.write(`${'launcher'.padEnd(this.options.prefixWidth ?? 8)} | ${this.name} ${message}`);
  }
}
