import type { z } from 'zod';
import { loadConfig } from './load-config.ts';

export interface LoadOptions {
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** Variables that win over `env` (tests, the all-in-one start). */
  overrides?: Record<string, string | undefined>;
  /** Print the problems and exit 1 instead of throwing ConfigError (a service's start). */
  exitOnError?: boolean;
}

/**
 * A service's config reader: validates the environment with `schema` (every bad variable reported at
 * once) and maps it to the service's typed, camelCase settings.
 */
export function configLoader<S extends z.ZodObject, C>(schema: S, toConfig: (env: z.output<S>) => C) {
  return ({ env = process.env, overrides = {}, exitOnError = false }: LoadOptions = {}): C =>
    toConfig(loadConfig(schema, { env: { ...env, ...overrides }, exitOnError }));
}
