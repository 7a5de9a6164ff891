import { Topic } from '@stockline/events';
import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import type { ItemListFilter, ItemUpsertRow } from '../data/item.repository.ts';
import { inTransaction, type Db } from '../data/prisma.ts';
import { createRepositories, type Repositories } from '../data/repositories.ts';
import { isUuid, type Actor } from '@stockline/service';
import type { CategoryRecord, ItemRecord, LocationRecord } from './records.ts';

export interface UpsertItemInput {
  sku: string;
  name: string;
  description?: string | null;
  categoryId?: string | null;
  expectedVersion?: number | null;
}

export type BulkMode = 'ATOMIC' | 'PER_ITEM';

export interface ItemPayload {
  item: ItemRecord | null;
  userErrors: UserError[];
}

export interface BulkItemPayload {
  items: (ItemRecord | null)[];
  userErrors: UserError[];
}

/** Most inputs one bulkUpsertItems call takes. */
export const MAX_BULK_ITEMS = 5_000;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 5_000;

class AtomicRollback extends Error {
  constructor(readonly errors: UserError[]) {
    super('atomic bulk refused');
  }
}

/**
 * The catalog: items (upserted by sku with optimistic versions), categories and locations.
 * Every change of an item writes an ItemChanged event to the outbox, for search and analytics.
 */
export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly onCommitted: () => void = () => {},
    private readonly repos: Repositories = createRepositories(db),
  ) {}

  listItems(actor: Actor, { filter, afterSku, limit }: { filter: ItemListFilter; afterSku: string | null; limit: number }) {
    return this.repos.items.list({ tenantId: actor.tenantId, filter: sanitizeFilter(filter), afterSku, limit });
  }

  countItems(actor: Actor, filter: ItemListFilter) {
    return this.repos.items.count({ tenantId: actor.tenantId, filter: sanitizeFilter(filter) });
  }

  findItemBySku(actor: Actor, sku: string) {
    return this.repos.items.findBySku({ tenantId: actor.tenantId, sku });
  }

  listCategories(actor: Actor) {
    return this.repos.categories.listAll({ tenantId: actor.tenantId });
  }

  listLocations(actor: Actor) {
    return this.repos.locations.listAll({ tenantId: actor.tenantId });
  }

  async upsertItem(actor: Actor, input: UpsertItemInput): Promise<ItemPayload> {
    const { items, userErrors } = await this.bulkUpsertItems(actor, [input], 'ATOMIC', ['input']);
    return { item: items[0], userErrors };
  }

  /**
   * Creates or updates many items in a few set-based statements. Inputs are checked first
   * (format, duplicate skus in the call, categories); PER_ITEM applies the valid ones, ATOMIC
   * applies all or none. An unchanged input leaves its item (and version) as it was.
   * expectedVersion 0 means "create only".
   */
  async bulkUpsertItems(actor: Actor, inputs: UpsertItemInput[], mode: BulkMode, path: string[] = ['inputs']): Promise<BulkItemPayload> {
    const at = (i: number, field: string) => (path[0] === 'input' ? ['input', field] : [...path, String(i), field]);
    if (inputs.length > MAX_BULK_ITEMS) {
      return { items: inputs.map(() => null), userErrors: [userError(UserErrorCode.LimitExceeded, `At most ${MAX_BULK_ITEMS} inputs per call; got ${inputs.length}`, path)] };
    }
    const { tenantId } = actor;
    const errors: (UserError | null)[] = inputs.map((input, i) => validateItem(input, (f) => at(i, f)));
    const seen = new Map<string, number>();
    inputs.forEach((input, i) => {
      if (errors[i]) return;
      if (seen.has(input.sku)) errors[i] = userError(UserErrorCode.DuplicateSku, `sku "${input.sku}" appears more than once in this call`, at(i, 'sku'));
      else seen.set(input.sku, i);
    });
    const categoryIds = [...new Set(inputs.map((i) => i.categoryId).filter((id): id is string => !!id))];
    const categories = new Set(
      (await this.repos.categories.findByIds({ tenantId, ids: categoryIds.filter(isUuid) })).map((c) => c.id),
    );
    inputs.forEach((input, i) => {
      if (!errors[i] && input.categoryId && !categories.has(input.categoryId)) {
        errors[i] = userError(UserErrorCode.NotFound, `No category with id "${input.categoryId}"`, at(i, 'categoryId'));
      }
    });
    const onlyErrors = () => errors.filter((e): e is UserError => !!e);
    if (mode === 'ATOMIC' && errors.some(Boolean)) return { items: inputs.map(() => null), userErrors: onlyErrors() };

    const valid = inputs.flatMap((input, i): (ItemUpsertRow & { index: number })[] =>
      errors[i]
        ? []
        : [{ index: i, sku: input.sku, name: input.name.trim(), description: input.description ?? null, categoryId: input.categoryId ?? null, expectedVersion: input.expectedVersion ?? null }],
    );
    try {
      const items = await inTransaction(this.db, async (tx) => {
        const repo = this.repos.items;
        const created = await repo.insertMissing({ tenantId, rows: valid.filter((r) => r.expectedVersion === null || r.expectedVersion === 0) }, tx);
        const createdSkus = new Set(created.map((c) => c.sku));
        const updated = await repo.updateChanged({ tenantId, rows: valid.filter((r) => !createdSkus.has(r.sku) && r.expectedVersion !== 0) }, tx);
        const bySku = new Map([...created, ...updated].map((item) => [item.sku, item]));
        const rest = await repo.findBySkus({ tenantId, skus: valid.filter((r) => !bySku.has(r.sku)).map((r) => r.sku) }, tx);
        const current = new Map(rest.map((item) => [item.sku, item]));
        const out: (ItemRecord | null)[] = inputs.map(() => null);
        for (const row of valid) {
          const changed = bySku.get(row.sku);
          if (changed) {
            out[row.index] = changed;
            continue;
          }
          const item = current.get(row.sku);
          if (row.expectedVersion !== null && (item?.version ?? 0) !== row.expectedVersion) {
            errors[row.index] = userError(
              UserErrorCode.VersionConflict,
              `sku "${row.sku}" is at version ${item?.version ?? 0}, not ${row.expectedVersion}`,
              at(row.index, 'expectedVersion'),
              { itemId: item?.id ?? null, current: item?.version ?? 0 },
            );
          } else out[row.index] = item ?? null;
        }
        if (mode === 'ATOMIC' && errors.some(Boolean)) throw new AtomicRollback(onlyErrors());
        await this.repos.outbox.append({
          tenantId,
          events: [...created, ...updated].map((item) => ({ type: Topic.ItemChanged, payload: itemChangedPayload(item, createdSkus.has(item.sku)) })),
        }, tx);
        return out;
      });
      this.onCommitted();
      return { items, userErrors: onlyErrors() };
    } catch (error) {
      if (error instanceof AtomicRollback) return { items: inputs.map(() => null), userErrors: error.errors };
      throw error;
    }
  }

  async archiveItem(actor: Actor, id: string): Promise<ItemPayload> {
    const notFound = { item: null, userErrors: [userError(UserErrorCode.NotFound, `No item with id "${id}"`, ['id'])] };
    if (!isUuid(id)) return notFound;
    const item = await inTransaction(this.db, async (tx) => {
      const archived = await this.repos.items.archive({ tenantId: actor.tenantId, id }, tx);
      if (archived) await this.repos.outbox.append({ tenantId: actor.tenantId, events: [{ type: Topic.ItemChanged, payload: itemChangedPayload(archived, false) }] }, tx);
      return archived;
    });
    if (!item) return notFound;
    this.onCommitted();
    return { item, userErrors: [] };
  }

  async createCategory(actor: Actor, name: string): Promise<{ category: CategoryRecord | null; userErrors: UserError[] }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > MAX_NAME) {
      return { category: null, userErrors: [userError(UserErrorCode.InvalidInput, `name must be 1 to ${MAX_NAME} characters`, ['name'])] };
    }
    const category = await this.repos.categories.create({ tenantId: actor.tenantId, name: trimmed });
    if (!category) return { category: null, userErrors: [userError(UserErrorCode.InvalidInput, `A category named "${trimmed}" exists already`, ['name'])] };
    return { category, userErrors: [] };
  }

  async createLocation(actor: Actor, code: string, name: string): Promise<{ location: LocationRecord | null; userErrors: UserError[] }> {
    const fail = (message: string, field: string) => ({ location: null, userErrors: [userError(UserErrorCode.InvalidInput, message, [field])] });
    const trimmedCode = code.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_\-]{0,31}$/.test(trimmedCode)) return fail('code must be 1 to 32 letters, digits, "-" or "_"', 'code');
    if (!name.trim() || name.trim().length > MAX_NAME) return fail(`name must be 1 to ${MAX_NAME} characters`, 'name');
    const location = await this.repos.locations.create({ tenantId: actor.tenantId, code: trimmedCode, name: name.trim() });
    if (!location) return fail(`A location with code "${trimmedCode}" exists already`, 'code');
    return { location, userErrors: [] };
  }
}

function validateItem(input: UpsertItemInput, at: (field: string) => string[]): UserError | null {
  if (!SKU.test(input.sku)) {
    return userError(UserErrorCode.InvalidInput, 'sku must be 1 to 64 characters: letters, digits, ".", "_", "-" or "/", starting with a letter or digit', at('sku'));
  }
  if (!input.name.trim() || input.name.trim().length > MAX_NAME) return userError(UserErrorCode.InvalidInput, `name must be 1 to ${MAX_NAME} characters`, at('name'));
  if (input.description != null && input.description.length > MAX_DESCRIPTION) {
    return userError(UserErrorCode.InvalidInput, `description must be at most ${MAX_DESCRIPTION} characters`, at('description'));
  }
  if (input.expectedVersion != null && (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0)) {
    return userError(UserErrorCode.InvalidInput, 'expectedVersion must be 0 or more', at('expectedVersion'));
  }
  return null;
}

/** Ids that are not UUIDs name nothing: the filter then matches nothing instead of failing a cast. */
function sanitizeFilter(filter: ItemListFilter): ItemListFilter {
  const none = '00000000-0000-0000-0000-000000000000';
  return {
    ...filter,
    categoryId: filter.categoryId && !isUuid(filter.categoryId) ? none : filter.categoryId,
    locationId: filter.locationId && !isUuid(filter.locationId) ? none : filter.locationId,
  };
}

function itemChangedPayload(item: ItemRecord, created: boolean) {
  return {
    itemId: item.id,
    sku: item.sku,
    name: item.name,
    description: item.description,
    categoryId: item.categoryId,
    version: item.version,
    archived: item.archivedAt !== null,
    created,
    occurredAt: new Date(item.updatedAt).toISOString(),
  };
}
