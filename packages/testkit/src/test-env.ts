/**
 * Where the test services are. Tests need real PostgreSQL and Redis; a missing one is a failure, not a skip.
 * The only place tests read the environment.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
