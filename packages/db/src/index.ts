export { createPool, type Pool } from './create-pool.ts';
export { ensureDatabase } from './ensure-database.ts';
export { runMigrations, type RunMigrationsOptions } from './run-migrations.ts';
export { startEmbeddedPostgres, isEmbeddedDatabase, EMBEDDED_URL_FLAG, type EmbeddedPostgres } from './embedded-postgres.ts';
export { createServicePools, ScopedPool, type ServicePools } from './service-pools.ts';
export { APP_ROLE, TENANT_SETTING, PREAMBLE_NAME, TenantClient, type TenantClientConfig } from './tenant-client.ts';
export { createAppLogin, AppLoginRefused } from './create-app-login.ts';
export { withTenant, asSystem, currentScope, currentTenantId, type DataScope } from './tenant-scope.ts';
