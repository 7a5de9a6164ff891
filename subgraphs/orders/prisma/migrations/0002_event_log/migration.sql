-- The durable event log (packages/events): besides its per-tenant `seq`, every numbered event gets a
-- per-stream position `pos`, strictly increasing in numbering (commit) order across tenants, so a
-- consumer of the whole stream (an indexer) resumes from one number. What pruning removed is
-- remembered, so a cursor older than retention is told apart from an empty stream.

ALTER TABLE "outbox_events" ADD COLUMN "pos" BIGINT;
ALTER TABLE "tenant_sequences" ADD COLUMN "pruned_through_seq" BIGINT NOT NULL DEFAULT 0;

CREATE TABLE "stream_state" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_pos" BIGINT NOT NULL DEFAULT 0,
    "pruned_through_pos" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "stream_state_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stream_state_one_row" CHECK ("id")
);

-- Events numbered before this migration get positions in their numbering order.
UPDATE "outbox_events" o SET "pos" = n.pos
FROM (SELECT "id", row_number() OVER (ORDER BY "seq" IS NULL, "published_at" NULLS LAST, "id") AS pos FROM "outbox_events" WHERE "seq" IS NOT NULL) n
WHERE o."id" = n."id";
INSERT INTO "stream_state" ("id", "last_pos") SELECT true, coalesce(max("pos"), 0) FROM "outbox_events";

CREATE UNIQUE INDEX "outbox_events_pos_key" ON "outbox_events"("pos");
