import { ServiceUnavailableError } from '@stockline/errors';

export const DEFAULT_TIMEOUT_MS = 5_000;

const ITEM_QUERY = 'query MediaItemExists($id: ID!) { item(id: $id) { id } }';

/**
 * Asks the inventory subgraph whether an item exists, with the caller's own bearer token: inventory
 * scopes every read by that token's tenant, so "found" means "the caller's tenant owns this item".
 * Going to inventory directly (not through the gateway) keeps one hop and no cycle through the
 * gateway's router; only inventory's public `item(id)` query is used, no private API.
 */
export class InventoryItemsClient {
  constructor(private readonly options: { baseUrl: string; timeoutMs?: number }) {}

  /** True when the item is visible to the token's tenant. Throws SERVICE_UNAVAILABLE when inventory does not answer. */
  async itemExists(token: string, itemId: string): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: ITEM_QUERY, variables: { id: itemId } }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceUnavailableError(`inventory did not answer whether item ${itemId} exists: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => null)) as { data?: { item: { id: string } | null }; errors?: unknown[] } | null;
    if (!response.ok || !body?.data || body.errors?.length) {
      throw new ServiceUnavailableError(`inventory could not say whether item ${itemId} exists (HTTP ${response.status})`);
    }
    return body.data.item?.id === itemId;
  }
}
