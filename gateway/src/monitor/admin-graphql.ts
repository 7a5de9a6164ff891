import express, { Router } from 'express';
import { GraphQLError, buildSchema, graphql } from 'graphql';
import type { Viewer } from '@stockline/auth';
import { AuthenticationError, ForbiddenError } from '@stockline/errors';
import type { Monitor } from './create-monitor.ts';

/**
 * The operators' API, apart from the supergraph (which serves tenants' data only): service health,
 * alerts and the recent series the dashboard draws. Admin role required.
 */
export const ADMIN_SDL = /* GraphQL */ `
  enum ServiceStatus { UNKNOWN UP DOWN }
  enum AlertStatus { FIRING RESOLVED }
  type ServiceHealth { name: String! url: String! status: ServiceStatus! misses: Int! lastCheckAt: String lastLatencyMs: Int lastError: String }
  type AlertLabel { name: String! value: String! }
  type Alert { id: ID! key: String! rule: String! severity: String! status: AlertStatus! summary: String! labels: [AlertLabel!]! startsAt: String! endsAt: String }
  type SeriesPoint { at: String! requestRate: Float! errorRatio: Float! p99Ms: Float subscriptions: Int! websocketConnections: Int! consumerLag: Float! servicesDown: Int! }
  type Query {
    "Each service's last heartbeat."
    services: [ServiceHealth!]!
    "Newest first; only firing ones with active: true."
    alerts(active: Boolean = false, limit: Int = 50): [Alert!]!
    "One point per monitor round (5 s), the last 30 minutes."
    series: [SeriesPoint!]!
  }
`;

const schema = buildSchema(ADMIN_SDL);

/** POST /admin/graphql: the monitor's GraphQL API for admins (the dashboard uses it). */
export function serveAdminGraphql({ monitor, authenticate }: { monitor: Monitor; authenticate: (authorization: string | undefined) => Promise<Viewer> }): Router {
  const router = Router();
  router.post('/', express.json({ limit: '64kb' }), async (req, res) => {
    try {
      const viewer = await authenticate(req.headers.authorization);
      if (!viewer.roles.includes('admin' as never)) throw new ForbiddenError('The admin API needs the admin role');
    } catch (error) {
      const e = error instanceof GraphQLError ? error : new AuthenticationError();
      const status = e.extensions.code === 'FORBIDDEN' ? 403 : 401;
      return void res.status(status).json({ errors: [{ message: e.message, extensions: { code: e.extensions.code } }] });
    }
    const { query, variables } = (req.body ?? {}) as { query?: string; variables?: Record<string, unknown> };
    if (typeof query !== 'string') return void res.status(400).json({ errors: [{ message: 'Send {"query": "..."} as JSON', extensions: { code: 'BAD_REQUEST' } }] });
    const rootValue = {
      services: () => monitor.services(),
      alerts: ({ active, limit }: { active: boolean; limit: number }) => monitor.alerts({ active, limit: Math.min(Math.max(limit, 0), 200) }).map((a) => ({ ...a, labels: Object.entries(a.labels).map(([name, value]) => ({ name, value })) })),
      series: () => monitor.series(),
    };
    res.json(await graphql({ schema, source: query, variableValues: variables, rootValue }));
  });
  return router;
}
