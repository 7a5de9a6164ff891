/** POSTs one GraphQL operation; throws with the errors when there are any. */
export async function gql<T = any>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: unknown[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  if (body.errors?.length) throw new Error(`${url}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data as T;
}

/** The JSON body of a GraphQL request. */
export const gqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** Throws when a mutation answered userErrors. */
export function noUserErrors<T extends { userErrors: unknown[] }>(what: string, payload: T): T {
  if (payload.userErrors.length) throw new Error(`${what}: ${JSON.stringify(payload.userErrors).slice(0, 500)}`);
  return payload;
}
