/**
 * A counter per tenant, moved on every mutation this gateway finishes for that tenant. Reads
 * coalesce only with reads started at the same epoch, so a read sent after a mutation's answer never
 * shares a subgraph answer that started before the mutation committed (read-your-writes through one
 * gateway). Bounded: the least recently moved tenants are forgotten, which only splits reads.
 */
export function createWriteEpochs(maxTenants = 10_000) {
  const epochs = new Map<string, number>();
  return {
    of(tenant: string): number {
      return epochs.get(tenant) ?? 0;
    },
    advance(tenant: string): void {
      const next = (epochs.get(tenant) ?? 0) + 1;
      epochs.delete(tenant);
      epochs.set(tenant, next);
      if (epochs.size > maxTenants) epochs.delete(epochs.keys().next().value!);
    },
  };
}
