import { createLogger } from '@stockline/observability';
import { loadOrdersConfig } from './config.ts';
import { createOrdersServer } from './server.ts';

const config = loadOrdersConfig({ exitOnError: true });
const logger = createLogger({ service: 'orders', level: config.logLevel });
const server = await createOrdersServer({ config, logger });
await server.start();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  });
}
