export { loadConfig, ConfigError } from './load-config.ts';
export { configLoader, type LoadOptions } from './config-loader.ts';
export { z } from 'zod';
export { commonEnv, commonConfig, dataEnv, dataConfig, port, refuseDevSecretInProduction, type DataConfig } from './common-env.ts';
