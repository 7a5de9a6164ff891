import { Scope, requireScope } from '@stockline/auth';
import type { InventoryContext } from '../context.ts';
import type { BulkMode, UpsertItemInput } from '../domain/catalog.service.ts';
import type { ReserveStockInput } from '../domain/reservation.service.ts';
import type { AdjustStockInput, SetStockInput, TransferStockInput } from '../domain/stock.service.ts';

type Ctx = InventoryContext;
const clerk = (ctx: Ctx) => requireScope(ctx.viewer, Scope.WriteInventory);
const admin = (ctx: Ctx) => requireScope(ctx.viewer, Scope.Admin);

export const Mutation = {
  upsertItem: (_: unknown, { input }: { input: UpsertItemInput }, ctx: Ctx) => (admin(ctx), ctx.services.catalog.upsertItem(ctx.actor, input)),
  bulkUpsertItems: (_: unknown, { inputs, mode }: { inputs: UpsertItemInput[]; mode: BulkMode }, ctx: Ctx) =>
    (admin(ctx), ctx.services.catalog.bulkUpsertItems(ctx.actor, inputs, mode)),
  archiveItem: (_: unknown, { id }: { id: string }, ctx: Ctx) => (admin(ctx), ctx.services.catalog.archiveItem(ctx.actor, id)),
  createCategory: (_: unknown, { name }: { name: string }, ctx: Ctx) => (admin(ctx), ctx.services.catalog.createCategory(ctx.actor, name)),
  createLocation: (_: unknown, { code, name }: { code: string; name: string }, ctx: Ctx) =>
    (admin(ctx), ctx.services.catalog.createLocation(ctx.actor, code, name)),

  adjustStock: (_: unknown, { input }: { input: AdjustStockInput }, ctx: Ctx) => (clerk(ctx), ctx.services.stock.adjustStock(ctx.actor, input)),
  setStock: (_: unknown, { input }: { input: SetStockInput }, ctx: Ctx) => (clerk(ctx), ctx.services.stock.setStock(ctx.actor, input)),
  bulkAdjustStock: (_: unknown, { inputs, mode }: { inputs: AdjustStockInput[]; mode: BulkMode }, ctx: Ctx) =>
    (clerk(ctx), ctx.services.stock.bulkAdjustStock(ctx.actor, inputs, mode)),
  transferStock: (_: unknown, { input }: { input: TransferStockInput }, ctx: Ctx) => (clerk(ctx), ctx.services.stock.transferStock(ctx.actor, input)),
  setReorderPoint: (_: unknown, args: { itemId: string; locationId: string; reorderPoint?: number | null }, ctx: Ctx) =>
    (clerk(ctx), ctx.services.stock.setReorderPoint(ctx.actor, { ...args, reorderPoint: args.reorderPoint ?? null })),
  reserveStock: (_: unknown, { input }: { input: ReserveStockInput }, ctx: Ctx) => (clerk(ctx), ctx.services.reservations.reserveStock(ctx.actor, input)),
  releaseReservation: (_: unknown, { id }: { id: string }, ctx: Ctx) => (clerk(ctx), ctx.services.reservations.releaseReservation(ctx.actor, id)),
};
