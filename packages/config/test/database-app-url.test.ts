import { describe, expect, it } from 'vitest';
import { ConfigError, dataConfig, dataEnv, loadConfig, z } from '../src/index.ts';

const parse = (env: Record<string, string>) => dataConfig(loadConfig(z.object(dataEnv), { env }));

describe('DATABASE_APP_URL, the login of the request pool', () => {
  it('is null when unset: the request pool then connects as the owner', () => {
    expect(parse({ DATABASE_URL: 'postgresql://owner@h/app' }).databaseAppUrl).toBeNull();
  });

  it('gets the same time bounds as DATABASE_URL', () => {
    const config = parse({ DATABASE_URL: 'postgresql://owner@h/app', DATABASE_APP_URL: 'postgresql://stockline_api:pw@h/app', DATABASE_STATEMENT_TIMEOUT_MS: '1500' });
    const url = new URL(config.databaseAppUrl!);
    expect([url.username, url.password, url.pathname]).toEqual(['stockline_api', 'pw', '/app']);
    expect([url.searchParams.get('statement_timeout'), url.searchParams.get('query_timeout')]).toEqual(['1500', '3500']);
  });

  it('refuses what is not a URL, naming the variable', () => {
    let error: unknown;
    try {
      parse({ DATABASE_URL: 'postgresql://owner@h/app', DATABASE_APP_URL: 'stockline_api' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_APP_URL']);
  });
});
