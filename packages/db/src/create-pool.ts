import pg from 'pg';

export type Pool = pg.Pool;

// int8 (bigint) as string would leak into the API; counts and sequences here fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/**
 * A pg pool for one service; `max` bounds the connections the service may hold. Idle-client errors go to `onError`.
 * `client` and `options` (startup options, e.g. `-c role=…`) are for the tenant pool (service-pools.ts).
 */
export function createPool({ url, max = 10, applicationName, onError, client, options }: {
  url: string;
  max?: number;
  applicationName: string;
  onError?: (error: Error) => void;
  client?: typeof pg.Client;
  options?: string;
}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: applicationName,
    ...(client ? { Client: client } : {}),
    ...(options ? { options } : {}),
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client whose server went away must not crash the process; the pool replaces it.
  pool.on('error', (error) => onError?.(error));
  // Nor one that is checked out (a transaction, the relay's leader connection): pg emits 'error' on the
  // client itself, with no listener while it is in use, which would be an uncaught exception. The query
  // in progress still rejects, and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', (error) => onError?.(error)));
  return pool;
}
