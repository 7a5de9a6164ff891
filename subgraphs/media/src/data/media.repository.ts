import type { MediaRecord, ReadyMedia } from '../domain/records.ts';
import { Prisma, type Db } from './prisma.ts';

const SELECT = {
  id: true, tenantId: true, itemId: true, filename: true, contentType: true, byteSize: true,
  status: true, sha256: true, width: true, height: true, expiresAt: true, createdAt: true,
} as const;

/** Raw SQL names the `media` schema itself (the adapter's schema applies to model queries only) and maps snake_case columns. */
const RAW_COLUMNS = Prisma.sql`id::text AS "id", tenant_id AS "tenantId", item_id::text AS "itemId", filename, content_type AS "contentType",
  byte_size AS "byteSize", status::text AS "status", sha256, width, height, expires_at AS "expiresAt", created_at AS "createdAt"`;

/** A verification claim older than this is taken over (its worker died). */
const CLAIM_TIMEOUT = Prisma.sql`interval '2 minutes'`;

/**
 * Media rows and blob rows. Every query a tenant's request makes is scoped by tenant; the few that
 * are not (serving a URL, verifying an upload, collecting garbage) say why.
 */
export class MediaRepository {
  constructor(private readonly db: Db) {}

  create(data: { tenantId: string; itemId: string; filename: string; contentType: string; byteSize: number; expiresAt: Date; createdBy: string }): Promise<MediaRecord> {
    return this.db.media.create({ data, select: SELECT });
  }

  /** Verified media of the tenant's items, oldest first. */
  findReadyByItemIds({ tenantId, itemIds }: { tenantId: string; itemIds: string[] }): Promise<ReadyMedia[]> {
    return this.db.media.findMany({
      where: { tenantId, itemId: { in: itemIds }, status: 'READY' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: SELECT,
    }) as Promise<ReadyMedia[]>;
  }

  /** Uploads of the tenant's items still waiting for their bytes (S3: completed when first read). */
  findPendingByItemIds({ tenantId, itemIds }: { tenantId: string; itemIds: string[] }): Promise<MediaRecord[]> {
    return this.db.media.findMany({ where: { tenantId, itemId: { in: itemIds }, status: 'PENDING' }, select: SELECT });
  }

  findById({ tenantId, id }: { tenantId: string; id: string }): Promise<MediaRecord | null> {
    return this.db.media.findFirst({ where: { tenantId, id }, select: SELECT });
  }

  /** By id alone: the upload URL and the public URL carry the id as their credential. */
  findByIdUnscoped(id: string): Promise<MediaRecord | null> {
    return this.db.media.findUnique({ where: { id }, select: SELECT });
  }

  /**
   * Takes an upload for verification: PENDING (or VERIFYING by a worker that died) becomes VERIFYING.
   * Null when it is not there, already verified, or being verified right now by someone else.
   */
  async claim(id: string): Promise<MediaRecord | null> {
    const rows = await this.db.$queryRaw<MediaRecord[]>`
      UPDATE media.media SET status = 'VERIFYING', claimed_at = now()
      WHERE id = ${id}::uuid AND (status = 'PENDING' OR (status = 'VERIFYING' AND claimed_at < now() - ${CLAIM_TIMEOUT}))
      RETURNING ${RAW_COLUMNS}`;
    return rows[0] ?? null;
  }

  /** Gives a claim back (the bytes were not there yet). */
  async release(id: string): Promise<void> {
    await this.db.media.updateMany({ where: { id, status: 'VERIFYING' }, data: { status: 'PENDING', claimedAt: null } });
  }

  /**
   * Records (or touches) the blob of verified bytes before they are written, so the collector, which
   * spares recently touched blobs and locks the row it deletes, cannot remove bytes an upload is
   * about to reference.
   */
  async touchBlob(blob: { sha256: string; byteSize: number; contentType: string; width: number; height: number }): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO media.blobs (sha256, byte_size, content_type, width, height)
      VALUES (${blob.sha256}, ${blob.byteSize}, ${blob.contentType}, ${blob.width}, ${blob.height})
      ON CONFLICT (sha256) DO UPDATE SET touched_at = now()`;
  }

  /** The claimed upload becomes READY, linked to its blob. False when it was deleted meanwhile. */
  async markReady({ id, sha256, width, height }: { id: string; sha256: string; width: number; height: number }): Promise<boolean> {
    const { count } = await this.db.media.updateMany({
      where: { id, status: 'VERIFYING' },
      data: { status: 'READY', sha256, width, height, readyAt: new Date(), claimedAt: null },
    });
    return count === 1;
  }

  /** Forgets an upload that was refused or expired (never a READY media). */
  async deleteUnverified(id: string): Promise<void> {
    await this.db.media.deleteMany({ where: { id, status: { not: 'READY' } } });
  }

  /** Removes the tenant's media row; the blob stays until the collector finds it unreferenced. */
  async delete({ tenantId, id }: { tenantId: string; id: string }): Promise<boolean> {
    const { count } = await this.db.media.deleteMany({ where: { tenantId, id } });
    return count === 1;
  }

  /** Which of `ids` are uploads waiting for bytes (any tenant: the sweeper completes every upload). */
  async pendingIds(ids: string[]): Promise<string[]> {
    const rows = await this.db.media.findMany({ where: { id: { in: ids }, status: { in: ['PENDING', 'VERIFYING'] } }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Which of `ids` have a row at all. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.media.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /** Uploads whose URL expired more than `graceSeconds` ago without verified bytes. */
  async findExpiredUploadIds(graceSeconds: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM media.media WHERE status <> 'READY' AND expires_at < now() - make_interval(secs => ${graceSeconds})`;
    return rows.map((r) => r.id);
  }

  /**
   * Deletes up to `limit` blobs no media references and nobody touched for `graceSeconds`, calling
   * `removeBytes` for each inside the same transaction: a referencing row cannot appear meanwhile
   * (the rows are locked and the foreign key from media is RESTRICT), and when removing the bytes
   * fails the rows stay for the next round. Returns the hashes collected.
   */
  collectBlobs({ graceSeconds, limit, removeBytes }: { graceSeconds: number; limit: number; removeBytes: (sha256: string) => Promise<void> }): Promise<string[]> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ sha256: string }[]>`
        SELECT sha256 FROM media.blobs b
        WHERE b.touched_at < now() - make_interval(secs => ${graceSeconds})
          AND NOT EXISTS (SELECT 1 FROM media.media m WHERE m.sha256 = b.sha256)
        ORDER BY b.touched_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      const hashes = rows.map((r) => r.sha256);
      if (!hashes.length) return [];
      await tx.$executeRaw`DELETE FROM media.blobs WHERE sha256 = ANY(${hashes}::text[])`;
      for (const sha256 of hashes) await removeBytes(sha256);
      return hashes;
    }, { timeout: 60_000 });
  }

  /** Counts, for tests and metrics. */
  async countBlobs(): Promise<number> {
    return this.db.blob.count();
  }
}
