export { createTestDatabase, type TestDatabase } from './create-test-database.ts';
export { tokenFor, uniqueTenant } from './token-for.ts';
export { graphql, type GraphQLResponse } from './graphql.ts';
export { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env.ts';
export { freeLoopbackPort, startOwnRedis, stopOwnRedis } from './own-redis.ts';
