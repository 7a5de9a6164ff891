import { createLogger } from '@stockline/observability';
import { loadInventoryConfig } from './config.ts';
import { createInventoryServer } from './server.ts';

const config = loadInventoryConfig({ exitOnError: true });
const logger = createLogger({ service: 'inventory', level: config.logLevel });
const server = await createInventoryServer({ config, logger });
await server.start();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  });
}
