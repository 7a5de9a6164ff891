import { createLogger } from '@stockline/observability';
import { stopOnSignals } from '@stockline/service';
import { loadInventoryConfig } from './config.ts';
import { createInventoryServer } from './server.ts';

const config = loadInventoryConfig({ exitOnError: true });
const logger = createLogger({ service: 'inventory', level: config.logLevel });
const server = await createInventoryServer({ config, logger });
await server.start();
stopOnSignals({ stop: server.stop, logger });
