import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whose data the code running now may touch: one tenant's (request work, under row-level security),
 * or every tenant's (`system`: the outbox relay's kind of work: sweepers, indexers, recovery loops).
 * Code running in no scope at all gets the tenant-scoped connection with no tenant, and sees nothing.
 */
export type DataScope = { kind: 'tenant'; tenantId: string } | { kind: 'system'; reason: string };

const scopes = new AsyncLocalStorage<DataScope>();

/** Runs `fn` (and everything it awaits or starts) as `tenantId`: queries see and write that tenant's rows only. */
export function withTenant<T>(tenantId: string, fn: () => T): T {
  return runIn({ kind: 'tenant', tenantId }, fn);
}

/**
 * Runs `fn` with the owner's connection, which row-level security does not restrict. For work that is
 * about every tenant by design; `reason` says which (it shows in a debugger and in reviews).
 */
export function asSystem<T>(reason: string, fn: () => T): T {
  return runIn({ kind: 'system', reason }, fn);
}

/**
 * A thenable `fn` returns is started inside the scope: Prisma's queries are lazy (PrismaPromise runs
 * when `then` is first called), and an `await` outside the scope would run them outside it.
 */
function runIn<T>(scope: DataScope, fn: () => T): T {
  return scopes.run(scope, () => {
    const result = fn();
    if (typeof (result as { then?: unknown } | null)?.then !== 'function') return result;
    return new Promise((resolve, reject) => (result as PromiseLike<unknown>).then(resolve, reject)) as T;
  });
}

/** The scope of the code running now, if any. */
export function currentScope(): DataScope | undefined {
  return scopes.getStore();
}

/** The tenant the code running now acts for; '' outside a tenant scope (a tenant no row has). */
export function currentTenantId(): string {
  const scope = scopes.getStore();
  return scope?.kind === 'tenant' ? scope.tenantId : '';
}
