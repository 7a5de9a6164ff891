import { createLogger } from '@stockline/observability';
import { stopOnSignals } from '@stockline/service';
import { loadAccessConfig } from './config.ts';
import { createAccessServer } from './server.ts';

const config = loadAccessConfig({ exitOnError: true });
const logger = createLogger({ service: 'access', level: config.logLevel });
const server = await createAccessServer({ config, logger });
await server.start();
stopOnSignals({ stop: server.stop, logger });
