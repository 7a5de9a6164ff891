import type { GraphQLFormattedError } from 'graphql';

/**
 * An `_entities` fetch lists one representation per place an entity appears (20 order lines at one
 * location send that location 20 times). Sends each distinct representation once, and spreads the
 * answers back over the original positions.
 */
export function uniqueRepresentations(representations: unknown[]): { unique: unknown[]; expand(data: unknown, errors?: readonly GraphQLFormattedError[]): { entities: unknown[] | null; errors?: GraphQLFormattedError[] } } | null {
  const positionOf = new Map<string, number>();
  const unique: unknown[] = [];
  const indexes = representations.map((representation) => {
    const key = JSON.stringify(representation);
    let index = positionOf.get(key);
    if (index === undefined) {
      index = unique.length;
      positionOf.set(key, index);
      unique.push(representation);
    }
    return index;
  });
  if (unique.length === representations.length) return null;
  const firstPosition = new Map<number, number>();
  indexes.forEach((u, i) => firstPosition.has(u) || firstPosition.set(u, i));
  return {
    unique,
    expand(answered, errors) {
      const entities = Array.isArray(answered) ? answered : null;
      const seen = new Set<number>();
      // The gateway rewrites and merges what it receives in place: a repeated entity gets its own copy.
      const spread = entities && indexes.map((u) => (seen.has(u) ? structuredClone(entities[u]) : (seen.add(u), entities[u])));
      const remapped = errors?.map((error) =>
        error.path?.[0] === '_entities' && typeof error.path[1] === 'number' && firstPosition.has(error.path[1])
          ? { ...error, path: ['_entities', firstPosition.get(error.path[1])!, ...error.path.slice(2)] }
          : error,
      );
      return { entities: spread, errors: remapped };
    },
  };
}
