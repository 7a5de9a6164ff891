export { loadConfig, ConfigError } from './load-config.ts';
export { z } from 'zod';
export { commonEnv, port, refuseDevSecretInProduction } from './common-env.ts';
