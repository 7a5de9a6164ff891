-- CreateEnum
CREATE TYPE "MediaStatus" AS ENUM ('PENDING', 'VERIFYING', 'READY');

-- CreateTable
CREATE TABLE "blobs" (
    "sha256" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "content_type" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "touched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blobs_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "media" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "item_id" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "status" "MediaStatus" NOT NULL DEFAULT 'PENDING',
    "sha256" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(3),

    CONSTRAINT "media_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "blobs_touched_at_idx" ON "blobs"("touched_at");

-- CreateIndex
CREATE INDEX "media_tenant_id_item_id_status_created_at_idx" ON "media"("tenant_id", "item_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "media_status_expires_at_idx" ON "media"("status", "expires_at");

-- CreateIndex
CREATE INDEX "media_sha256_idx" ON "media"("sha256");

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "blobs"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written invariants (Prisma cannot express CHECK constraints)
ALTER TABLE "media" ADD CONSTRAINT "media_byte_size_positive" CHECK ("byte_size" > 0);
ALTER TABLE "media" ADD CONSTRAINT "media_ready_has_blob" CHECK ("status" <> 'READY' OR ("sha256" IS NOT NULL AND "width" IS NOT NULL AND "height" IS NOT NULL AND "ready_at" IS NOT NULL));
ALTER TABLE "blobs" ADD CONSTRAINT "blobs_sha256_hex" CHECK ("sha256" ~ '^[0-9a-f]{64}$');
