/** What a mutation field costs on top of what it returns (as the estimate counts it). */
export const MUTATION_FIELD_COST = 10;

/**
 * The cost of what was actually returned: one per object in the response (connections, nodes,
 * nested objects), plus MUTATION_FIELD_COST per mutation field. Never above the estimate: a page
 * shorter than `first` gives the difference back.
 */
export function actualCost(data: unknown, { requested, mutation }: { requested: number; mutation: boolean }): number {
  if (data == null || typeof data !== 'object') return 0;
  const top = mutation ? Object.keys(data).length * MUTATION_FIELD_COST : 0;
  return Math.min(requested, top + countObjects(data) - 1);
}

function countObjects(value: unknown): number {
  if (value == null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (const element of value) n += countObjects(element);
    return n;
  }
  let n = 1;
  for (const key in value) n += countObjects((value as Record<string, unknown>)[key]);
  return n;
}
