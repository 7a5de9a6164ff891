import type { UserError } from '@stockline/errors';
import { metricsFor, type Logger } from '@stockline/observability';
import type { InventoryClient, ReservationsResponse, ReserveLinesResponse, ConsumeRequest, ReleaseRequest, ReserveLinesRequest } from '../data/inventory.client.ts';
import { OrderLineRepository } from '../data/order-line.repository.ts';
import { OrderRepository } from '../data/order.repository.ts';
import { inTransaction, type Db, type Tx } from '../data/prisma.ts';
import { SagaRepository, type NewStep } from '../data/saga.repository.ts';
import { ShipmentRepository } from '../data/shipment.repository.ts';
import { CrashPoint, crashIfInjected } from './fault-injection.ts';
import { canTransition, transitionOrder } from './order-status.ts';
import type { OrderRecord, SagaKind, SagaRecord, SagaStepName, SagaStepRecord } from './records.ts';
import { sagaKeys } from './saga-keys.ts';

/** Longest wait between two attempts at a saga whose remote step keeps failing. */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Step failures (errors and refusals) and compensations, on orders' /metrics. */
const metrics = metricsFor('orders');

const CRASH_POINTS: Partial<Record<SagaStepName, CrashPoint>> = {
  RESERVE: CrashPoint.AfterReserve,
  CONSUME: CrashPoint.AfterConsume,
  RELEASE: CrashPoint.AfterRelease,
};

export interface SagaServiceOptions {
  db: Db;
  inventory: InventoryClient;
  /** This process, as named in the sagas it leases. */
  owner: string;
  /** How long a saga stays leased to the process driving it (renewed while it runs). */
  leaseMs: number;
  /** TEST-ONLY fault injection (see fault-injection.ts). @default null */
  crashAt?: CrashPoint | null;
  logger: Logger;
  /** Called after each commit that may have written outbox events. */
  onCommitted?: () => void;
}

export interface BeginSagaInput {
  tenantId: string;
  orderId: string;
  kind: SagaKind;
  actorId: string;
  shipmentId?: string | null;
  /** The first entries of its log: local steps already done (SUCCEEDED) and the remote step to run (STARTED). */
  steps: NewStep[];
}

/** The delay before the next attempt after `attempts` failed ones: 1 s, 2 s, 4 s … up to a minute. */
export const retryDelayMs = (attempts: number) => Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** Math.min(attempts, 6));

/**
 * Runs the orders sagas against inventory. A saga is a log of steps: a remote step is logged STARTED,
 * with its exact request and an idempotency key derived from the step, in the transaction that decides
 * it; it is then called, and its outcome is recorded, with the local changes that follow from it, in one
 * transaction that finishes the step. Whoever drives a saga (the request that began it, a replay, or the
 * recovery loop after a crash) replays the same call with the same key, so inventory acts at most once
 * and every driver records the same outcome; recording is conditional on the step still being STARTED.
 */
export class SagaService {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly options: SagaServiceOptions) {}

  /** Begins a saga in the caller's transaction, leased to this process. */
  async begin(tx: Tx, { steps, ...input }: BeginSagaInput): Promise<SagaRecord> {
    const repo = new SagaRepository(tx);
    const saga = await repo.create({ ...input, owner: this.options.owner, leaseMs: this.options.leaseMs });
    await repo.logSteps({ saga, steps });
    if (!steps.some((s) => s.status === 'STARTED')) await repo.complete(saga);
    return saga;
  }

  /**
   * Drives the saga until no step waits on inventory. Concurrent calls in this process share one run.
   * Throws when a step got no answer (InventoryCallError) or could not be recorded; the saga is then
   * postponed with backoff and the recovery loop, of this or any replica, carries on later.
   */
  drive(saga: SagaRecord): Promise<void> {
    const current = this.running.get(saga.id);
    if (current) return current;
    const run = this.run(saga).finally(() => this.running.delete(saga.id));
    this.running.set(saga.id, run);
    return run;
  }

  /**
   * Drives every unfinished saga of an order (of one shipment, when given). Never throws: returns
   * false when one could not finish now (it is left to the recovery loop).
   */
  async settle({ tenantId, orderId, shipmentId }: { tenantId: string; orderId: string; shipmentId?: string }): Promise<boolean> {
    const sagas = await new SagaRepository(this.options.db).findRunning({ tenantId, orderId, shipmentId });
    const results = await Promise.allSettled(sagas.map((saga) => this.drive(saga)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const { reason } of failed) this.options.logger.warn({ err: reason, orderId }, 'saga could not finish now; recovery will retry');
    return failed.length === 0;
  }

  /** Ids of the sagas this process is driving right now (their leases are renewed). */
  activeSagaIds(): string[] {
    return [...this.running.keys()];
  }

  private async run(saga: SagaRecord): Promise<void> {
    const { db, crashAt = null, onCommitted } = this.options;
    const repo = new SagaRepository(db);
    for (;;) {
      const step = await repo.nextStarted({ tenantId: saga.tenantId, sagaId: saga.id });
      if (!step) {
        await repo.complete(saga);
        return;
      }
      try {
        const outcome = await this.call(saga, step);
        const point = CRASH_POINTS[step.name];
        if (point) crashIfInjected(crashAt, point);
        await inTransaction(db, (tx) => this.record(tx, saga, step, outcome));
      } catch (error) {
        metrics.sagaFailures.inc({ saga: saga.kind, step: step.name });
        await repo
          .postpone({ tenantId: saga.tenantId, id: saga.id, delayMs: retryDelayMs(saga.attempts), error: String((error as Error)?.message ?? error) })
          .catch((err) => this.options.logger.error({ err, sagaId: saga.id }, 'could not postpone saga'));
        throw error;
      }
      onCommitted?.();
    }
  }

  private call(saga: SagaRecord, step: SagaStepRecord): Promise<ReservationsResponse> {
    const { inventory } = this.options;
    const caller = { tenantId: saga.tenantId, actorId: saga.actorId };
    switch (step.name) {
      case 'RESERVE':
        return inventory.reserveLines(caller, step.request as ReserveLinesRequest);
      case 'CONSUME':
        return inventory.consume(caller, step.request as ConsumeRequest);
      case 'RELEASE':
        return inventory.release(caller, step.request as ReleaseRequest);
      default:
        return Promise.reject(new Error(`Saga step ${step.name} is local; it cannot be left STARTED`));
    }
  }

  /** Records a remote step's outcome and what follows from it, under the order's lock. */
  private async record(tx: Tx, saga: SagaRecord, step: SagaStepRecord, outcome: ReservationsResponse): Promise<void> {
    const sagas = new SagaRepository(tx);
    const order = await new OrderRepository(tx).lock({ tenantId: saga.tenantId, id: saga.orderId });
    if (!order) throw new Error(`Saga ${saga.id} names order ${saga.orderId}, which does not exist`);
    const failed = outcome.userErrors.length > 0;
    const finished = await sagas.finishStep({ tenantId: saga.tenantId, id: step.id, status: failed ? 'FAILED' : 'SUCCEEDED', response: outcome });
    if (!finished) return; // another driver recorded this outcome first
    if (failed) metrics.sagaFailures.inc({ saga: saga.kind, step: step.name });
    if (step.name === 'RESERVE') await this.onReserved(tx, saga, order, outcome as ReserveLinesResponse);
    else if (step.name === 'CONSUME') await this.onConsumed(tx, saga, order, outcome);
    else if (failed) this.options.logger.error({ sagaId: saga.id, orderId: order.id, userErrors: outcome.userErrors }, 'inventory refused to release');
    if (!(await sagas.hasStarted({ tenantId: saga.tenantId, sagaId: saga.id }))) await sagas.complete(saga);
  }

  /** Reserve answered: confirm (RESERVED), fail (FAILED, nothing held), or give back what an order cancelled meanwhile got. */
  private async onReserved(tx: Tx, saga: SagaRecord, order: OrderRecord, outcome: ReserveLinesResponse): Promise<void> {
    if (outcome.userErrors.length > 0) {
      if (order.status === 'PENDING') await transitionOrder(tx, order, 'FAILED', { failureReason: describe(outcome.userErrors) });
      return;
    }
    const parts = new Map<number, number>();
    const lines = outcome.reservations.map((r) => {
      const part = parts.get(r.lineIndex) ?? 0;
      parts.set(r.lineIndex, part + 1);
      return { lineIndex: r.lineIndex, part, itemId: r.itemId, locationId: r.locationId, quantity: r.quantity, reservationId: r.id };
    });
    await new OrderLineRepository(tx).upsert({ tenantId: order.tenantId, orderId: order.id, lines });
    if (order.status === 'PENDING') {
      await transitionOrder(tx, order, 'RESERVED');
      await new SagaRepository(tx).logSteps({ saga, steps: [{ name: 'CONFIRM', status: 'SUCCEEDED' }] });
    } else {
      // Cancelled while the reservation was in flight: stock is never held for an order that no longer wants it.
      const release = await this.releaseStep(tx, order, outcome.reservations.map((r) => r.id));
      await new SagaRepository(tx).logSteps({ saga, steps: [release] });
    }
  }

  /** Consume answered: the shipment becomes visible and the lines fulfilled, or it is voided. */
  private async onConsumed(tx: Tx, saga: SagaRecord, order: OrderRecord, outcome: ReservationsResponse): Promise<void> {
    const { tenantId } = order;
    const shipments = new ShipmentRepository(tx);
    const shipmentId = saga.shipmentId!;
    if (outcome.userErrors.length > 0) {
      await shipments.transition({ tenantId, id: shipmentId, from: 'PENDING', to: 'VOID' });
      return;
    }
    await shipments.transition({ tenantId, id: shipmentId, from: 'PENDING', to: 'SHIPPED' });
    const lineRepo = new OrderLineRepository(tx);
    await lineRepo.addFulfilled({ tenantId, rows: await shipments.findLines({ tenantId, shipmentIds: [shipmentId] }) });
    await new SagaRepository(tx).logSteps({ saga, steps: [{ name: 'RECORD_SHIPMENT', status: 'SUCCEEDED' }] });
    const lines = await lineRepo.findByOrderIds({ tenantId, orderIds: [order.id] });
    const target = lines.every((l) => l.fulfilledQuantity === l.quantity) ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
    if (target !== order.status && canTransition(order.status, target)) await transitionOrder(tx, order, target);
    else await new OrderRepository(tx).touch(order);
  }

  /** The RELEASE step that gives back `reservationIds` of the (locked) order, keyed by its ordinal among the order's releases. */
  async releaseStep(tx: Tx, order: OrderRecord, reservationIds: string[]): Promise<NewStep> {
    metrics.sagaCompensations.inc({ saga: 'release' });
    const n = (await new SagaRepository(tx).countSteps({ tenantId: order.tenantId, orderId: order.id, name: 'RELEASE' })) + 1;
    const request: ReleaseRequest = { idempotencyKey: sagaKeys.release(order.id, n), reservationIds: [...new Set(reservationIds)] };
    return { name: 'RELEASE', status: 'STARTED', idempotencyKey: request.idempotencyKey, request };
  }
}

/** failureReason of an order inventory could not reserve. */
function describe(errors: UserError[]): string {
  return `${errors[0].code}: ${errors[0].message}`.slice(0, 500);
}
