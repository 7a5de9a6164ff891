
-- CreateEnum
CREATE TYPE "MovementReason" AS ENUM ('RECEIVED', 'CORRECTION', 'DAMAGED', 'RETURNED', 'RESERVED', 'RELEASED', 'SHIPPED', 'TRANSFER_IN', 'TRANSFER_OUT');

-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('ACTIVE', 'CONSUMED', 'RELEASED', 'EXPIRED');

-- CreateTable
CREATE TABLE "categories" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "locations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "locations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "category_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_levels" (
    "tenant_id" TEXT NOT NULL,
    "item_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "on_hand" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "reorder_point" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_levels_pkey" PRIMARY KEY ("tenant_id","item_id","location_id")
);

-- CreateTable
CREATE TABLE "stock_movements" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "item_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "reason" "MovementReason" NOT NULL,
    "on_hand_delta" INTEGER NOT NULL,
    "reserved_delta" INTEGER NOT NULL,
    "on_hand_after" INTEGER NOT NULL,
    "reserved_after" INTEGER NOT NULL,
    "reference" TEXT,
    "reservation_id" UUID,
    "actor_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_movements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reservations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "item_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "consumed_quantity" INTEGER NOT NULL DEFAULT 0,
    "reference" TEXT,
    "status" "ReservationStatus" NOT NULL DEFAULT 'ACTIVE',
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "tenant_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("tenant_id","operation","key")
);

-- CreateTable
CREATE TABLE "tenant_sequences" (
    "tenant_id" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_sequences_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "seq" BIGINT,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "categories_tenant_id_name_key" ON "categories"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "locations_tenant_id_code_key" ON "locations"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "items_tenant_id_category_id_sku_idx" ON "items"("tenant_id", "category_id", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "items_tenant_id_sku_key" ON "items"("tenant_id", "sku");

-- CreateIndex
CREATE INDEX "stock_levels_tenant_id_location_id_idx" ON "stock_levels"("tenant_id", "location_id");

-- CreateIndex
CREATE INDEX "stock_movements_tenant_id_item_id_location_id_id_idx" ON "stock_movements"("tenant_id", "item_id", "location_id", "id");

-- CreateIndex
CREATE INDEX "stock_movements_tenant_id_id_idx" ON "stock_movements"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "stock_movements_tenant_id_occurred_at_idx" ON "stock_movements"("tenant_id", "occurred_at");

-- CreateIndex
CREATE INDEX "reservations_tenant_id_item_id_idx" ON "reservations"("tenant_id", "item_id");

-- CreateIndex
CREATE INDEX "reservations_status_expires_at_idx" ON "reservations"("status", "expires_at");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_event_id_key" ON "outbox_events"("event_id");

-- CreateIndex
CREATE INDEX "outbox_events_occurred_at_idx" ON "outbox_events"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_tenant_id_seq_key" ON "outbox_events"("tenant_id", "seq");

-- AddForeignKey
ALTER TABLE "items" ADD CONSTRAINT "items_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Hand-written below: what the Prisma schema language cannot say.

-- Stock invariants, enforced by the database as the last line of defence.
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_on_hand_nonnegative" CHECK ("on_hand" >= 0);
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_reserved_nonnegative" CHECK ("reserved" >= 0);
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_available_nonnegative" CHECK ("on_hand" >= "reserved");
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_reorder_point_nonnegative" CHECK ("reorder_point" IS NULL OR "reorder_point" >= 0);
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_quantity_positive" CHECK ("quantity" > 0 AND "consumed_quantity" >= 0 AND "consumed_quantity" <= "quantity");
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_item_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id");
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_location_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id");

-- The ledger is immutable: no UPDATE, no DELETE, ever.
CREATE FUNCTION "stock_movements_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movements is an append-only ledger (% refused)', TG_OP;
END $$;
CREATE TRIGGER "stock_movements_no_update" BEFORE UPDATE OR DELETE ON "stock_movements"
  FOR EACH ROW EXECUTE FUNCTION "stock_movements_immutable"();

-- The relay's two queues: rows still to be numbered (in insertion order), numbered rows still to be published.
CREATE INDEX "outbox_events_unnumbered" ON "outbox_events" ("id") WHERE "seq" IS NULL;
CREATE INDEX "outbox_events_unpublished" ON "outbox_events" ("tenant_id", "seq") WHERE "published_at" IS NULL AND "seq" IS NOT NULL;

-- The sweeper's queue: active holds with an expiry.
CREATE INDEX "reservations_expiring" ON "reservations" ("expires_at") WHERE "status" = 'ACTIVE' AND "expires_at" IS NOT NULL;
