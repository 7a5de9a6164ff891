import { commonConfig, commonEnv, configLoader, dataConfig, dataEnv, port, refuseDevSecretInProduction, z } from '@stockline/config';

const MB = 1024 * 1024;

const schema = z
  .object({
    ...commonEnv,
    DATABASE_URL: dataEnv.DATABASE_URL,
    DATABASE_APP_URL: dataEnv.DATABASE_APP_URL,
    DATABASE_POOL_MAX: dataEnv.DATABASE_POOL_MAX,
    PORT: port(4004),
    INVENTORY_URL: z.string().url('must be an http(s):// URL').default('http://127.0.0.1:4001'),
    INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** Origin clients reach media URLs on: the gateway (which proxies /media/*) or a CDN in front of it. */
    MEDIA_PUBLIC_URL: z.string().url('must be an http(s):// URL').default('http://127.0.0.1:4000'),
    /** Where the filesystem backend keeps objects (used when S3 is not configured). */
    MEDIA_DATA_DIR: z.string().default('.data/media'),
    MEDIA_MAX_BYTES: z.coerce.number().int().min(1).max(1024 * MB).default(10 * MB),
    MEDIA_UPLOAD_TTL_SECONDS: z.coerce.number().int().min(30).max(7 * 24 * 3600).default(900),
    MEDIA_GC_INTERVAL_MS: z.coerce.number().int().min(100).default(600_000),
    /** A blob unreferenced for less than this stays (an upload may be about to reference it). */
    MEDIA_GC_GRACE_SECONDS: z.coerce.number().int().min(0).default(3_600),
    S3_ENDPOINT: z.string().url('must be an http(s):// URL').optional(),
    /** The endpoint presigned upload URLs name, when clients reach the store by another address (e.g. MinIO in docker-compose). */
    S3_PUBLIC_ENDPOINT: z.string().url('must be an http(s):// URL').optional(),
    S3_BUCKET: z.string().min(3).optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    /** Path-style URLs (http://host/bucket/key): MinIO, s3rver. */
    S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  })
  .superRefine(refuseDevSecretInProduction)
  .superRefine((env, ctx) => {
    if (Boolean(env.S3_ENDPOINT) !== Boolean(env.S3_BUCKET)) {
      const missing = env.S3_ENDPOINT ? 'S3_BUCKET' : 'S3_ENDPOINT';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'S3_ENDPOINT and S3_BUCKET go together: set both for S3 storage, or neither for the filesystem' });
    }
  });

/** Every environment variable the media service reads (the README's configuration table must list them). */
export const MEDIA_ENV = Object.keys(schema.shape);

/** Where the bytes live: S3 when S3_ENDPOINT and S3_BUCKET are set, else the filesystem. */
export type StorageConfig =
  | { kind: 'filesystem'; dir: string }
  | { kind: 's3'; endpoint: string; publicEndpoint: string | null; bucket: string; region: string; accessKeyId: string | null; secretAccessKey: string | null; forcePathStyle: boolean };

/**
 * The media service's configuration, read from the environment once.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export const loadMediaConfig = configLoader(schema, (env) => ({
  ...commonConfig(env),
  databaseUrl: env.DATABASE_URL,
  databaseAppUrl: env.DATABASE_APP_URL ?? null,
  databasePoolMax: env.DATABASE_POOL_MAX,
  port: env.PORT,
  inventoryUrl: env.INVENTORY_URL.replace(/\/+$/, ''),
  inventoryTimeoutMs: env.INVENTORY_TIMEOUT_MS,
  publicUrl: env.MEDIA_PUBLIC_URL.replace(/\/+$/, ''),
  maxBytes: env.MEDIA_MAX_BYTES,
  uploadTtlSeconds: env.MEDIA_UPLOAD_TTL_SECONDS,
  gcIntervalMs: env.MEDIA_GC_INTERVAL_MS,
  gcGraceSeconds: env.MEDIA_GC_GRACE_SECONDS,
  storage: (env.S3_ENDPOINT && env.S3_BUCKET
    ? {
        kind: 's3',
        endpoint: env.S3_ENDPOINT,
        publicEndpoint: env.S3_PUBLIC_ENDPOINT ?? null,
        bucket: env.S3_BUCKET,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID ?? null,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? null,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
      }
    : { kind: 'filesystem', dir: env.MEDIA_DATA_DIR }) as StorageConfig,
}));

export type MediaConfig = ReturnType<typeof loadMediaConfig>;
