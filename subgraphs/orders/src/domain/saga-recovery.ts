import { asSystem, withTenant } from '@stockline/db';
import type { Logger } from '@stockline/observability';
import type { Db } from '../data/prisma.ts';
import { SagaRepository } from '../data/saga.repository.ts';
import type { SagaService } from './saga.service.ts';

export const DEFAULT_RECOVERY_BATCH = 20;

export interface SagaRecoveryOptions {
  db: Db;
  sagas: SagaService;
  owner: string;
  leaseMs: number;
  /** Pause between rounds. */
  intervalMs: number;
  /** Sagas claimed per round. @default 20 */
  batchSize?: number;
  logger: Logger;
}

/**
 * Finishes sagas nobody is driving: at start and then every `intervalMs`, renews the leases of the
 * sagas this process drives, claims RUNNING sagas whose lease ran out (a crashed process, or a
 * postponed retry) with FOR UPDATE SKIP LOCKED so replicas never take the same one, and drives them.
 */
export class SagaRecovery {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<number> | null = null;
  private stopped = true;

  constructor(private readonly options: SagaRecoveryOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round?.catch(() => 0);
  }

  /**
   * One round; resolves with how many sagas it claimed, once they have been driven as far as they go.
   * Leases and claims are about every tenant's sagas (asSystem); each saga is driven as its own tenant.
   */
  async runOnce(): Promise<number> {
    const { db, sagas, owner, leaseMs, batchSize = DEFAULT_RECOVERY_BATCH, logger } = this.options;
    const repo = new SagaRepository(db);
    const due = await asSystem('saga recovery claims unfinished sagas of every tenant', async () => {
      await repo.renewLeases({ ids: sagas.activeSagaIds(), owner, leaseMs });
      return repo.claimDue({ owner, leaseMs, limit: batchSize });
    });
    if (due.length > 0) logger.info({ count: due.length }, 'recovering unfinished sagas');
    await Promise.all(
      due.map((saga) =>
        withTenant(saga.tenantId, () => sagas.drive(saga)).catch((err) => logger.warn({ err, sagaId: saga.id, orderId: saga.orderId }, 'saga recovery attempt failed; will retry')),
      ),
    );
    return due.length;
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runOnce()
        .catch((err) => {
          this.options.logger.error({ err }, 'saga recovery round failed; retrying');
          return 0;
        })
        .finally(() => {
          this.round = null;
          this.schedule(this.options.intervalMs);
        });
    }, delay);
  }
}
