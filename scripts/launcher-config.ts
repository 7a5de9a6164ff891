import { loadConfig, port, z } from '@stockline/config';

const schema = z.object({
  PORT: port(4000),
  INVENTORY_PORT: port(4001),
  ORDERS_PORT: port(4002),
  EMBEDDED_PG_PORT: port(54329),
  STOCKLINE_DATA_DIR: z.string().default('.data'),
  SEED_DEMO: z.stringbool().default(true),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

/** What `npm start` itself reads; each service validates the rest of the environment on its own. */
export function loadLauncherConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = loadConfig(schema, { env, exitOnError: true });
  return {
    gatewayPort: parsed.PORT,
    inventoryPort: parsed.INVENTORY_PORT,
    ordersPort: parsed.ORDERS_PORT,
    embeddedPgPort: parsed.EMBEDDED_PG_PORT,
    dataDir: parsed.STOCKLINE_DATA_DIR,
    seedDemo: parsed.SEED_DEMO,
    production: parsed.NODE_ENV === 'production',
  };
}

export const LAUNCHER_ENV = Object.keys(schema.shape);
