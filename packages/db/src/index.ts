export { createPool, type Pool } from './create-pool.ts';
export { ensureDatabase } from './ensure-database.ts';
export { runMigrations, type RunMigrationsOptions } from './run-migrations.ts';
export { startEmbeddedPostgres, isEmbeddedDatabase, EMBEDDED_URL_FLAG, type EmbeddedPostgres } from './embedded-postgres.ts';
