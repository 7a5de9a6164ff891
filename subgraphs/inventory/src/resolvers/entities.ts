import type { InventoryContext } from '../context.ts';
import type { CategoryRecord, ItemRecord, StockLevelRecord } from '../domain/records.ts';
import { itemConnection, movementConnection } from './query.ts';

type Ctx = InventoryContext;
type PageArgs = { first?: number | null; after?: string | null };
const sum = (levels: StockLevelRecord[], pick: (l: StockLevelRecord) => number) => levels.reduce((n, l) => n + pick(l), 0);
const withItemAndLocation = {
  item: (r: { itemId: string }, _: unknown, ctx: Ctx) => ctx.loaders.item.load(r.itemId),
  location: (r: { locationId: string }, _: unknown, ctx: Ctx) => ctx.loaders.location.load(r.locationId),
};

export const Item = {
  __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.item.load(ref.id),
  category: (item: ItemRecord, _: unknown, ctx: Ctx) => (item.categoryId ? ctx.loaders.category.load(item.categoryId) : null),
  async stockLevels(item: ItemRecord, { locationId }: { locationId?: string | null }, ctx: Ctx) {
    const levels = await ctx.loaders.stockLevels.load(item.id);
    return locationId ? levels.filter((l) => l.locationId === locationId) : levels;
  },
  async stock(item: ItemRecord, _: unknown, ctx: Ctx) {
    const levels = await ctx.loaders.stockLevels.load(item.id);
    const onHand = sum(levels, (l) => l.onHand);
    const reserved = sum(levels, (l) => l.reserved);
    return { onHand, reserved, available: onHand - reserved };
  },
  movements: (item: ItemRecord, args: PageArgs & { locationId?: string | null }, ctx: Ctx) =>
    movementConnection(ctx, args, { itemId: item.id, locationId: args.locationId }),
};

export const Category = {
  __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.category.load(ref.id),
  items: (category: CategoryRecord, args: PageArgs, ctx: Ctx) => itemConnection(ctx, args, { categoryId: category.id }),
};

export const Location = {
  __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.location.load(ref.id),
};

export const StockLevel = {
  ...withItemAndLocation,
  /** Deterministic, so every read and every event names the same cache entry: base64url of `itemId:locationId`. */
  id: (level: StockLevelRecord) => Buffer.from(`${level.itemId}:${level.locationId}`).toString('base64url'),
  available: (level: StockLevelRecord) => level.onHand - level.reserved,
};

export const StockMovement = withItemAndLocation;
export const Reservation = withItemAndLocation;
