import { createLogger } from '@stockline/observability';
import { stopOnSignals } from '@stockline/service';
import { loadOrdersConfig } from './config.ts';
import { createOrdersServer } from './server.ts';

const config = loadOrdersConfig({ exitOnError: true });
const logger = createLogger({ service: 'orders', level: config.logLevel });
const server = await createOrdersServer({ config, logger });
await server.start();
stopOnSignals({ stop: server.stop, logger });
