import type { Viewer } from '@stockline/auth';

/** Per request at the gateway: the verified caller and the id its subgraph calls carry. */
export interface GatewayContext {
  viewer: Viewer;
  token: string;
  requestId: string;
  log?: import('@stockline/observability').Logger;
}
