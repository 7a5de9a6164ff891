import { z } from 'zod';

/** Thrown (in tests) or printed and exited on (in services) when the environment is invalid. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses `env` with a zod object schema whose keys are environment variable names and
 * returns the typed result. Every invalid variable is reported at once.
 * Throws ConfigError; `exitOnError` prints it and exits 1 instead (for a service's start).
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  { env = process.env, exitOnError = false }: { env?: Record<string, string | undefined>; exitOnError?: boolean } = {},
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = env[name];
    return `${name}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
  });
  const error = new ConfigError(problems);
  if (exitOnError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
