import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one logger per service; request-scoped children carry the request id.
 * Writes to stdout unless `destination` is given (tests collect lines that way).
 */
export function createLogger({ service, level = 'info', destination }: { service: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token'], remove: true },
    },
    destination,
  );
}
