/** Who acts, as a domain sees it: the tenant every query is scoped to and the user for the ledger. */
export interface Actor {
  tenantId: string;
  userId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else can name nothing (and must never reach a ::uuid cast). */
export const isUuid = (value: string | null | undefined): value is string => typeof value === 'string' && UUID.test(value);
