import { createLogger } from '@stockline/observability';
import { stopOnSignals } from '@stockline/service';
import { loadGatewayConfig } from './config.ts';
import { createGatewayServer } from './server.ts';

const config = loadGatewayConfig({ exitOnError: true });
const logger = createLogger({ service: 'gateway', level: config.logLevel });
const server = await createGatewayServer({ config, logger });
await server.start();
stopOnSignals({ stop: server.stop, logger });
