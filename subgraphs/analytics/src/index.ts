import { createLogger } from '@stockline/observability';
import { stopOnSignals } from '@stockline/service';
import { loadAnalyticsConfig } from './config.ts';
import { createAnalyticsServer } from './server.ts';

const config = loadAnalyticsConfig({ exitOnError: true });
const logger = createLogger({ service: 'analytics', level: config.logLevel });
const server = await createAnalyticsServer({ config, logger });
await server.start();
stopOnSignals({ stop: server.stop, logger });
