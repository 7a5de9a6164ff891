import { describe, expect, it } from 'vitest';
import { QUERY_TIMEOUT_GRACE_MS, dataConfig, dataEnv, withDatabaseTimeouts, z } from '../src/index.ts';

const parse = (env: Record<string, string>) => dataConfig(z.object(dataEnv).parse(env));

describe('the database time bounds', () => {
  it('gives every connection a statement timeout, a client-side answer timeout and an idle-in-transaction timeout by default', () => {
    const url = new URL(parse({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app' }).databaseUrl);
    expect(url.searchParams.get('statement_timeout')).toBe('25000');
    expect(url.searchParams.get('query_timeout')).toBe(String(25_000 + QUERY_TIMEOUT_GRACE_MS));
    expect(url.searchParams.get('idle_in_transaction_session_timeout')).toBe('60000');
  });

  it('takes them from DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, and 0 adds none', () => {
    const set = new URL(parse({ DATABASE_URL: 'postgresql://h/app', DATABASE_STATEMENT_TIMEOUT_MS: '1500', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }).databaseUrl);
    expect([set.searchParams.get('statement_timeout'), set.searchParams.get('query_timeout'), set.searchParams.get('idle_in_transaction_session_timeout')]).toEqual(['1500', '3500', null]);
    const off = new URL(parse({ DATABASE_URL: 'postgresql://h/app', DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseUrl);
    expect(off.searchParams.has('statement_timeout')).toBe(false);
    expect(off.searchParams.has('query_timeout')).toBe(false);
  });

  it('keeps what the URL already says, and leaves embedded PostgreSQL alone', () => {
    const own = new URL(withDatabaseTimeouts('postgresql://h/app?statement_timeout=42', { statementTimeoutMs: 5_000, idleInTransactionTimeoutMs: 0 }));
    expect(own.searchParams.get('statement_timeout')).toBe('42');
    const embedded = 'postgresql://postgres@127.0.0.1:54329/postgres?stockline_embedded=pglite';
    expect(withDatabaseTimeouts(embedded, { statementTimeoutMs: 5_000, idleInTransactionTimeoutMs: 5_000 })).toBe(embedded);
  });

  it('refuses a negative bound', () => {
    expect(() => parse({ DATABASE_URL: 'postgresql://h/app', DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow();
  });
});
