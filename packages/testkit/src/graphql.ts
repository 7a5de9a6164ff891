export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** POSTs one GraphQL operation over real HTTP and returns status, data and errors. */
export async function graphql<T = any>(url: string, { query, variables, token, headers = {} }: { query: string; variables?: Record<string, unknown>; token?: string; headers?: Record<string, string> }): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: GraphQLResponse['errors'] };
  return { status: response.status, data: body.data ?? undefined, errors: body.errors };
}
