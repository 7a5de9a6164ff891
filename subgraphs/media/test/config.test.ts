import { describe, expect, it } from 'vitest';
import { ConfigError } from '@stockline/config';
import { loadMediaConfig } from '../src/config.ts';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' };

describe('loadMediaConfig', () => {
  it('defaults to the filesystem, port 4004, 10 MB and 15-minute upload URLs', () => {
    const config = loadMediaConfig({ env: base });
    expect(config).toMatchObject({ port: 4004, maxBytes: 10 * 1024 * 1024, uploadTtlSeconds: 900, storage: { kind: 'filesystem', dir: '.data/media' } });
  });

  it('uses S3 when the endpoint and bucket are both set', () => {
    const config = loadMediaConfig({ env: { ...base, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'media' } });
    expect(config.storage).toMatchObject({ kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'media', forcePathStyle: true, publicEndpoint: null });
  });

  it('names the missing half when only one of S3_ENDPOINT and S3_BUCKET is set', () => {
    try {
      loadMediaConfig({ env: { ...base, S3_ENDPOINT: 'http://127.0.0.1:9000' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['S3_BUCKET']);
    }
  });
});
