import pg from 'pg';
import { createPool } from './create-pool.ts';
import { isEmbeddedDatabase } from './embedded-postgres.ts';
import { APP_ROLE, TenantClient } from './tenant-client.ts';
import { currentScope } from './tenant-scope.ts';

/**
 * One pool that is two: in a system scope (`asSystem`) it lends the owner's connections, which
 * row-level security does not restrict; anywhere else the tenant pool's, as `stockline_app` with the
 * scope's tenant (none outside a tenant scope: no rows). It extends pg.Pool only so that Prisma's
 * adapter accepts it (`instanceof pg.Pool`); it opens no connection of its own.
 */
export class ScopedPool extends pg.Pool {
  constructor(
    readonly owner: pg.Pool,
    readonly tenant: pg.Pool,
  ) {
    super({ ...tenant.options, max: 1 });
  }

  private pick(): pg.Pool {
    return currentScope()?.kind === 'system' ? this.owner : this.tenant;
  }

  // Both forward every overload of pg's connect() and query() unchanged.
  override connect(...args: any[]): any {
    return (this.pick().connect as (...a: unknown[]) => unknown)(...args);
  }

  override query(...args: any[]): any {
    return (this.pick().query as (...a: unknown[]) => unknown)(...args);
  }

  /** Ends neither pool: whoever made them ends them (ServicePools.end). */
  override async end(): Promise<void> {}
}

export interface ServicePools {
  /** The owner's connections (DATABASE_URL as given): migrations, the outbox relay, the event log, pruning. */
  owner: pg.Pool;
  /** Connections as `stockline_app` (NOBYPASSRLS), each statement carrying the scope's tenant. */
  tenant: pg.Pool;
  /** What services build their data access on: tenant or owner by the current scope. */
  scoped: ScopedPool;
  end(): Promise<void>;
}

/**
 * The pools of a data-owning service. The tenant pool's connections start as APP_ROLE (startup option
 * `-c role=…`) so that anything sent on them is under row-level security even before TenantClient
 * sets the role per transaction; not on embedded PostgreSQL, whose one shared session the owner's
 * pool uses too. `ownerMax` bounds the owner's share (the relay holds one connection while it leads).
 *
 * `appUrl` (DATABASE_APP_URL) is the tenant pool's login: a role that cannot bypass row-level security
 * and is a member of APP_ROLE (createAppLogin), so that SQL on a request connection that runs
 * `SET ROLE NONE` or `RESET ROLE` is that login, not the owner. Without it the tenant pool logs in as the
 * owner (`url`) and switches to APP_ROLE, which such SQL escapes. Ignored on embedded PostgreSQL (one session).
 */
export function createServicePools({ url, appUrl = null, max = 10, ownerMax = Math.min(max, 4), applicationName, onError }: {
  url: string;
  appUrl?: string | null;
  max?: number;
  ownerMax?: number;
  applicationName: string;
  onError?: (error: Error) => void;
}): ServicePools {
  const embedded = isEmbeddedDatabase(url);
  const owner = createPool({ url, max: ownerMax, applicationName: `${applicationName}-owner`, onError });
  const tenant = createPool({
    url: (!embedded && appUrl) || url,
    max,
    applicationName,
    onError,
    client: TenantClient,
    options: embedded ? undefined : `-c role=${APP_ROLE}`,
  });
  return {
    owner,
    tenant,
    scoped: new ScopedPool(owner, tenant),
    async end() {
      await Promise.all([owner.end(), tenant.end()]);
    },
  };
}
