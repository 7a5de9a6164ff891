export { loadConfig, ConfigError } from './load-config.ts';
export { configLoader, type LoadOptions } from './config-loader.ts';
export { z } from 'zod';
export { DATABASE_URL_REQUIRED, commonEnv, commonConfig, dataEnv, dataConfig, withDatabaseTimeouts, QUERY_TIMEOUT_GRACE_MS, port, refuseDevSecretInProduction, type DataConfig } from './common-env.ts';
