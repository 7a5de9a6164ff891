import { createLogger } from '@stockline/observability';
import { stopOnSignals } from '@stockline/service';
import { loadMediaConfig } from './config.ts';
import { createMediaServer } from './server.ts';

const config = loadMediaConfig({ exitOnError: true });
const logger = createLogger({ service: 'media', level: config.logLevel });
const server = await createMediaServer({ config, logger });
await server.start();
stopOnSignals({ stop: server.stop, logger });
