import type { SagaKind, SagaRecord, SagaStepName, SagaStepRecord, SagaStepStatus } from '../domain/records.ts';
import { Prisma, type Db, type Tx } from './prisma.ts';

const SAGA = Prisma.sql`g.id, g.tenant_id AS "tenantId", g.order_id AS "orderId", g.kind::text AS kind, g.status::text AS status,
  g.actor_id AS "actorId", g.shipment_id AS "shipmentId", g.attempts`;
const STEP = Prisma.sql`st.id::text AS id, st.saga_id AS "sagaId", st.tenant_id AS "tenantId", st.order_id AS "orderId", st.name::text AS name,
  st.status::text AS status, st.idempotency_key AS "idempotencyKey", st.request, st.response`;

export interface NewStep {
  name: SagaStepName;
  status: SagaStepStatus;
  /** Remote steps only: the key inventory dedupes the call by. */
  idempotencyKey?: string | null;
  request?: unknown;
  response?: unknown;
}

/** Sagas and their step log. Recovery reads across tenants (it is the system acting); everything else is tenant-scoped. */
export class SagaRepository {
  constructor(private readonly db: Db | Tx) {}

  /** Starts a saga leased to `owner` for `leaseMs`. */
  async create({ tenantId, orderId, kind, actorId, shipmentId = null, owner, leaseMs }: {
    tenantId: string;
    orderId: string;
    kind: SagaKind;
    actorId: string;
    shipmentId?: string | null;
    owner: string;
    leaseMs: number;
  }): Promise<SagaRecord> {
    const [saga] = await this.db.$queryRaw<SagaRecord[]>`
      INSERT INTO orders.sagas AS g (tenant_id, order_id, kind, actor_id, shipment_id, owner, locked_until)
      VALUES (${tenantId}, ${orderId}::uuid, ${kind}::orders."SagaKind", ${actorId}, ${shipmentId}::uuid, ${owner}, now() + make_interval(secs => ${leaseMs / 1000}))
      RETURNING ${SAGA}`;
    return saga;
  }

  /** Appends steps to the log, in order; finished steps get their finish time now. */
  async logSteps({ saga, steps }: { saga: Pick<SagaRecord, 'id' | 'tenantId' | 'orderId'>; steps: NewStep[] }): Promise<void> {
    if (steps.length === 0) return;
    const col = <T>(pick: (s: NewStep) => T) => steps.map(pick);
    await this.db.$executeRaw`
      INSERT INTO orders.saga_steps (saga_id, tenant_id, order_id, name, status, idempotency_key, request, response, finished_at)
      SELECT ${saga.id}::uuid, ${saga.tenantId}, ${saga.orderId}::uuid, u.name::orders."SagaStepName", u.status::orders."SagaStepStatus",
             u.key, u.request, u.response, CASE WHEN u.status = 'STARTED' THEN NULL ELSE now() END
      FROM unnest(${col((s) => s.name)}::text[], ${col((s) => s.status)}::text[], ${col((s) => s.idempotencyKey ?? null)}::text[],
                  ${col((s) => (s.request === undefined ? null : JSON.stringify(s.request)))}::jsonb[],
                  ${col((s) => (s.response === undefined ? null : JSON.stringify(s.response)))}::jsonb[])
           WITH ORDINALITY AS u(name, status, key, request, response, ord)
      ORDER BY u.ord`;
  }

  async find({ tenantId, id }: { tenantId: string; id: string }): Promise<SagaRecord | null> {
    const rows = await this.db.$queryRaw<SagaRecord[]>`SELECT ${SAGA} FROM orders.sagas g WHERE g.tenant_id = ${tenantId} AND g.id = ${id}::uuid`;
    return rows[0] ?? null;
  }

  /** The RUNNING saga of an order of a kind (for the fulfillment of one shipment, that one), if any. */
  async findRunning({ tenantId, orderId, shipmentId }: { tenantId: string; orderId: string; shipmentId?: string }): Promise<SagaRecord[]> {
    return this.db.$queryRaw<SagaRecord[]>`
      SELECT ${SAGA} FROM orders.sagas g
      WHERE g.tenant_id = ${tenantId} AND g.order_id = ${orderId}::uuid AND g.status = 'RUNNING'
        ${shipmentId ? Prisma.sql`AND g.shipment_id = ${shipmentId}::uuid` : Prisma.empty}
      ORDER BY g.created_at`;
  }

  /** The oldest step still waiting for its remote call's outcome. */
  async nextStarted({ tenantId, sagaId }: { tenantId: string; sagaId: string }): Promise<SagaStepRecord | null> {
    const rows = await this.db.$queryRaw<SagaStepRecord[]>`
      SELECT ${STEP} FROM orders.saga_steps st WHERE st.tenant_id = ${tenantId} AND st.saga_id = ${sagaId}::uuid AND st.status = 'STARTED'
      ORDER BY st.id LIMIT 1`;
    return rows[0] ?? null;
  }

  /** Finishes a STARTED step; false when it was already finished (someone else recorded the outcome). */
  async finishStep({ tenantId, id, status, response }: { tenantId: string; id: string; status: Exclude<SagaStepStatus, 'STARTED'>; response: unknown }): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE orders.saga_steps SET status = ${status}::orders."SagaStepStatus", response = ${JSON.stringify(response)}::jsonb, finished_at = now()
      WHERE tenant_id = ${tenantId} AND id = ${id}::bigint AND status = 'STARTED'`;
    return n === 1;
  }

  /** The latest step of an order with this name (of the saga of one shipment, when given). */
  async findLatestStep({ tenantId, orderId, name, shipmentId }: { tenantId: string; orderId: string; name: SagaStepName; shipmentId?: string }): Promise<SagaStepRecord | null> {
    const rows = await this.db.$queryRaw<SagaStepRecord[]>`
      SELECT ${STEP} FROM orders.saga_steps st
      WHERE st.tenant_id = ${tenantId} AND st.order_id = ${orderId}::uuid AND st.name = ${name}::orders."SagaStepName"
        ${shipmentId ? Prisma.sql`AND st.saga_id IN (SELECT g.id FROM orders.sagas g WHERE g.tenant_id = ${tenantId} AND g.shipment_id = ${shipmentId}::uuid)` : Prisma.empty}
      ORDER BY st.id DESC LIMIT 1`;
    return rows[0] ?? null;
  }

  async countSteps({ tenantId, orderId, name }: { tenantId: string; orderId: string; name: SagaStepName }): Promise<number> {
    const [{ n }] = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM orders.saga_steps WHERE tenant_id = ${tenantId} AND order_id = ${orderId}::uuid AND name = ${name}::orders."SagaStepName"`;
    return n;
  }

  async hasStarted({ tenantId, sagaId }: { tenantId: string; sagaId: string }): Promise<boolean> {
    const [{ n }] = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM orders.saga_steps WHERE tenant_id = ${tenantId} AND saga_id = ${sagaId}::uuid AND status = 'STARTED'`;
    return n > 0;
  }

  async complete({ tenantId, id }: { tenantId: string; id: string }): Promise<void> {
    await this.db.$executeRaw`
      UPDATE orders.sagas SET status = 'COMPLETED', last_error = NULL, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}::uuid`;
  }

  /** After a failed attempt: nobody retries before `delayMs` from now. */
  async postpone({ tenantId, id, delayMs, error }: { tenantId: string; id: string; delayMs: number; error: string }): Promise<void> {
    await this.db.$executeRaw`
      UPDATE orders.sagas SET locked_until = now() + make_interval(secs => ${delayMs / 1000}), last_error = ${error.slice(0, 2000)},
        attempts = attempts + 1, updated_at = now()
      WHERE tenant_id = ${tenantId} AND id = ${id}::uuid AND status = 'RUNNING'`;
  }

  /**
   * Leases up to `limit` RUNNING sagas of any tenant whose lease has run out (their driver died or
   * gave up for now) to `owner`. Rows another replica is claiming are skipped, so replicas never collide.
   */
  claimDue({ owner, leaseMs, limit }: { owner: string; leaseMs: number; limit: number }): Promise<SagaRecord[]> {
    return this.db.$queryRaw<SagaRecord[]>`
      UPDATE orders.sagas g SET locked_until = now() + make_interval(secs => ${leaseMs / 1000}), owner = ${owner}, updated_at = now()
      WHERE g.id IN (
        SELECT id FROM orders.sagas WHERE status = 'RUNNING' AND locked_until <= now()
        ORDER BY locked_until LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING ${SAGA}`;
  }

  /** Extends the leases of sagas this process is driving right now. */
  async renewLeases({ ids, owner, leaseMs }: { ids: string[]; owner: string; leaseMs: number }): Promise<void> {
    if (ids.length === 0) return;
    await this.db.$executeRaw`
      UPDATE orders.sagas SET locked_until = greatest(locked_until, now() + make_interval(secs => ${leaseMs / 1000})), owner = ${owner}
      WHERE id = ANY(${ids}::uuid[]) AND status = 'RUNNING'`;
  }
}
