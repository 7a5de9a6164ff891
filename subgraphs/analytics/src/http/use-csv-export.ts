import { once } from 'node:events';
import type { Express, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { Scope, bearerToken, requireScope, verifyToken } from '@stockline/auth';
import type { Logger } from '@stockline/observability';
import type { ReportExporter } from '../domain/report-export.ts';
import { toCsvLine } from './to-csv-line.ts';

/** Where the CSV export is served: `GET /export/<report>.csv?from=…&to=…` (the gateway proxies /analytics/export/). */
export const EXPORT_PATH = '/export';

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };

/**
 * The CSV export of every report, for a bearer token with `read_analytics`, scoped to its tenant.
 * Rows are written as the store yields them, waiting for the socket to drain (never the whole file in
 * memory). Refusals are JSON `{ code, message }` with 401/403/400 before the first byte of CSV.
 */
export function useCsvExport(app: Express, { exporter, jwtSecret, logger }: { exporter: ReportExporter; jwtSecret: string; logger: Logger }): void {
  app.get(`${EXPORT_PATH}/:file`, async (req: Request, res: Response) => {
    const file = String(req.params.file);
    const report = file.replace(/\.csv$/, '');
    let started = false;
    try {
      const viewer = requireScope(await verifyToken(bearerToken(req.headers.authorization), jwtSecret), Scope.ReadAnalytics);
      const params = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
      const { columns, chunks } = await exporter.exportReport({ tenantId: viewer.tenantId, userId: viewer.userId }, report, params);
      res.status(200).set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${report}.csv"`, 'cache-control': 'no-store' });
      started = true;
      res.write(toCsvLine(columns));
      for await (const rows of chunks) {
        if (res.destroyed) return;
        if (!res.write(rows.map(toCsvLine).join(''))) await once(res, 'drain');
      }
      res.end();
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code ?? '') : '';
      if (started) {
        logger.error({ err: error, report }, 'CSV export failed mid-stream');
        res.destroy(error as Error);
      } else if (STATUS[code]) res.status(STATUS[code]).json({ code, message: (error as Error).message });
      else {
        logger.error({ err: error, report }, 'CSV export failed');
        res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'The export failed' });
      }
    }
  });
}
