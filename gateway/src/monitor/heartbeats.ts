export enum ServiceStatus {
  Unknown = 'UNKNOWN',
  Up = 'UP',
  Down = 'DOWN',
}

export interface ServiceHealth {
  name: string;
  url: string;
  status: ServiceStatus;
  /** Consecutive failed checks. */
  misses: number;
  lastCheckAt: string | null;
  lastLatencyMs: number | null;
  lastError: string | null;
}

/**
 * Heartbeats on every service: `check()` asks each `/readyz` once (in parallel); `missesDown`
 * failures in a row mark a service DOWN, one success marks it UP again.
 */
export class Heartbeats {
  readonly services: Map<string, ServiceHealth>;

  constructor(targets: Record<string, string>, private readonly options: { missesDown: number; timeoutMs: number }) {
    this.services = new Map(
      Object.entries(targets).map(([name, url]) => [name, { name, url, status: ServiceStatus.Unknown, misses: 0, lastCheckAt: null, lastLatencyMs: null, lastError: null }]),
    );
  }

  async check(): Promise<ServiceHealth[]> {
    await Promise.all([...this.services.values()].map((s) => this.checkOne(s)));
    return this.list();
  }

  list(): ServiceHealth[] {
    return [...this.services.values()].map((s) => ({ ...s }));
  }

  private async checkOne(service: ServiceHealth): Promise<void> {
    const started = performance.now();
    try {
      const response = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(this.options.timeoutMs) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`/readyz answered ${response.status}`);
      service.misses = 0;
      service.status = ServiceStatus.Up;
      service.lastError = null;
    } catch (error) {
      service.misses++;
      service.lastError = (error as Error).message;
      if (service.misses >= this.options.missesDown) service.status = ServiceStatus.Down;
    }
    service.lastLatencyMs = Math.round(performance.now() - started);
    service.lastCheckAt = new Date().toISOString();
  }
}
