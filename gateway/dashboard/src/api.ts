/** POSTs a GraphQL query with the admin's token; throws with the server's first error message. */
export async function query<T>(url: string, token: string, source: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: source, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? 'ERROR'}: ${body.errors[0].message}`);
  return body.data as T;
}

export interface ServiceHealth { name: string; status: 'UP' | 'DOWN' | 'UNKNOWN'; misses: number; lastLatencyMs: number | null; lastError: string | null }
export interface Alert { id: string; rule: string; severity: string; status: 'FIRING' | 'RESOLVED'; summary: string; startsAt: string; endsAt: string | null }
export interface SeriesPoint { at: string; requestRate: number; errorRatio: number; p99Ms: number | null; subscriptions: number; websocketConnections: number; consumerLag: number }
export interface Overview { services: ServiceHealth[]; alerts: Alert[]; series: SeriesPoint[] }

export const OVERVIEW = `{
  services { name status misses lastLatencyMs lastError }
  alerts(limit: 20) { id rule severity status summary startsAt endsAt }
  series { at requestRate errorRatio p99Ms subscriptions websocketConnections consumerLag }
}`;

export const LOW_STOCK = `{
  items(first: 20, filter: { belowReorderPoint: true }) {
    nodes { sku name stockLevels { available reorderPoint location { code } } }
  }
}`;
