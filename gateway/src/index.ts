import { createLogger } from '@stockline/observability';
import { loadGatewayConfig } from './config.ts';
import { createGatewayServer } from './server.ts';

const config = loadGatewayConfig({ exitOnError: true });
const logger = createLogger({ service: 'gateway', level: config.logLevel });
const server = await createGatewayServer({ config, logger });
await server.start();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  });
}
