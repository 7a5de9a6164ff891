import { loadConfig, port, z } from '@stockline/config';
import { portEnv, services } from '@stockline/registry';

/** `<NAME>_PORT` of every service but the gateway (whose port is PORT), defaulting to its registry port. */
const servicePorts = Object.fromEntries(services().filter((s) => s.name !== 'gateway').map((s) => [portEnv(s.name), port(s.port)]));

const schema = z.object({
  PORT: port(4000),
  ...servicePorts,
  EMBEDDED_PG_PORT: port(54329),
  STOCKLINE_DATA_DIR: z.string().default('.data'),
  SEED_DEMO: z.stringbool().default(true),
  LAUNCHER_READY_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(120_000),
  LAUNCHER_STOP_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

/** What `npm start` itself reads; each service validates the rest of the environment on its own. */
export function loadLauncherConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = loadConfig(schema, { env, exitOnError: true }) as z.output<typeof schema> & Record<string, number>;
  /** Port of each service by name (0: a free one, picked at start). */
  const ports: Record<string, number> = Object.fromEntries(services().map((s) => [s.name, s.name === 'gateway' ? parsed.PORT : parsed[portEnv(s.name)]]));
  return {
    ports,
    gatewayPort: parsed.PORT,
    embeddedPgPort: parsed.EMBEDDED_PG_PORT,
    dataDir: parsed.STOCKLINE_DATA_DIR,
    seedDemo: parsed.SEED_DEMO,
    readyTimeoutMs: parsed.LAUNCHER_READY_TIMEOUT_MS,
    stopTimeoutMs: parsed.LAUNCHER_STOP_TIMEOUT_MS,
    production: parsed.NODE_ENV === 'production',
  };
}

export type LauncherConfig = ReturnType<typeof loadLauncherConfig>;

export const LAUNCHER_ENV = Object.keys(schema.shape);
