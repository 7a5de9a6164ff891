import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { APP_ROLE, PREAMBLE_NAME, TenantClient } from '../src/tenant-client.ts';
import { withTenant } from '../src/tenant-scope.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('tenant_client');
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  await owner.query(`DO $$ BEGIN CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  await owner.query(`CREATE TABLE codes (tenant_id text NOT NULL, code int NOT NULL, PRIMARY KEY (tenant_id, code))`);
  await owner.query(`ALTER TABLE codes ENABLE ROW LEVEL SECURITY`);
  await owner.query(`CREATE POLICY tenant_isolation ON codes USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`);
  await owner.query(`GRANT SELECT, INSERT ON codes TO ${APP_ROLE}`);
  await owner.end();
});
afterAll(async () => {
  await db?.drop();
});

describe.each([{ preparePreamble: true }, { preparePreamble: false }])('TenantClient (preamble prepared once per connection: $preparePreamble)', ({ preparePreamble }) => {
  let client: TenantClient;
  const open = async () => {
    const opened = new TenantClient({ connectionString: db.url, preparePreamble });
    await opened.connect();
    return opened;
  };
  const insert = (code: number) => client.query({ name: 'insert_code', text: 'INSERT INTO codes (tenant_id, code) VALUES (current_setting($$app.tenant_id$$), $1)', values: [code] });

  beforeAll(async () => {
    client = await open();
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    await owner.query('TRUNCATE codes');
    await owner.end();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('keeps a named statement usable after it failed on its first execution', async () => {
    await withTenant('t1', async () => {
      await insert(1);
      // Parsed once on this connection; fails on execution (duplicate key), stays prepared on the server.
      await expect(insert(1)).rejects.toMatchObject({ code: '23505' });
      await insert(2);
    });
    const fresh = await open();
    try {
      // First use on a connection fails on execution: the statement's own Parse had completed.
      await withTenant('t1', () => expect(fresh.query({ name: 'insert_code', text: 'INSERT INTO codes (tenant_id, code) VALUES (current_setting($$app.tenant_id$$), $1)', values: [1] })).rejects.toMatchObject({ code: '23505' }));
      await withTenant('t1', () => fresh.query({ name: 'insert_code', text: 'INSERT INTO codes (tenant_id, code) VALUES (current_setting($$app.tenant_id$$), $1)', values: [3] }));
    } finally {
      await fresh.end();
    }
    const { rows } = await withTenant('t1', () => client.query('SELECT code FROM codes ORDER BY code'));
    expect(rows.map((r: { code: number }) => r.code)).toEqual([1, 2, 3]);
  });

  it('parses a named statement again when its own Parse failed', async () => {
    await withTenant('t1', async () => {
      await expect(client.query({ name: 'bad_statement', text: 'SELECT no_such_column FROM codes' })).rejects.toMatchObject({ code: '42703' });
      await expect(client.query({ name: 'bad_statement', text: 'SELECT no_such_column FROM codes' })).rejects.toMatchObject({ code: '42703' });
    });
  });

  it('shows a tenant only its own rows, and none outside a tenant scope', async () => {
    await withTenant('t2', () => insert(9));
    expect((await withTenant('t2', () => client.query('SELECT code FROM codes'))).rows).toEqual([{ code: 9 }]);
    expect((await client.query('SELECT code FROM codes')).rows).toEqual([]);
  });
});

describe('TenantClient, the prepared preamble', () => {
  let client: TenantClient;
  let parses: string[];

  beforeAll(async () => {
    client = new TenantClient({ connectionString: db.url });
    await client.connect();
    // Every Parse this client sends, by statement name ('' unnamed).
    parses = [];
    const connection = (client as unknown as { connection: { parse(config: { name: string }): void } }).connection;
    const parse = connection.parse.bind(connection);
    connection.parse = (config) => {
      parses.push(config.name);
      parse(config);
    };
  });
  afterAll(async () => {
    await client?.end();
  });

  it('is parsed by the first statement on a connection only, and sets the tenant of every statement', async () => {
    const tenants: string[] = [];
    for (const tenant of ['t1', 't2', 't3']) {
      const { rows } = await withTenant(tenant, () => client.query(`SELECT current_setting('app.tenant_id') AS tenant, current_user AS role`));
      tenants.push(`${rows[0].tenant}/${rows[0].role}`);
    }
    expect(tenants).toEqual(['t1', 't2', 't3'].map((t) => `${t}/${APP_ROLE}`));
    expect(parses.filter((name) => name === PREAMBLE_NAME)).toEqual([PREAMBLE_NAME]);
    const prepared = await client.query('SELECT name FROM pg_prepared_statements');
    expect(prepared.rows).toEqual([{ name: PREAMBLE_NAME }]);
  });

  it('is parsed again after the server dropped it (DEALLOCATE ALL): one statement fails, the next works', async () => {
    await withTenant('t1', () => client.query('DEALLOCATE ALL'));
    await expect(withTenant('t1', () => client.query('SELECT 1'))).rejects.toMatchObject({ code: '26000' });
    const { rows } = await withTenant('t2', () => client.query(`SELECT current_setting('app.tenant_id') AS tenant`));
    expect(rows).toEqual([{ tenant: 't2' }]);
  });

  it('is not prepared on embedded PostgreSQL, whose one session every connection shares', () => {
    const embedded = new TenantClient({ connectionString: 'postgresql://postgres@127.0.0.1:1/postgres?stockline_embedded=pglite' });
    expect((embedded as unknown as { preambleName: string }).preambleName).toBe('');
  });
});
