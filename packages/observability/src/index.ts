export { createLogger, type Logger } from './create-logger.ts';
export { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';
export { useRequestLogging } from './use-request-logging.ts';
