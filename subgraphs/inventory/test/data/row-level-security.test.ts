import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem, createAppLogin, createServicePools, runMigrations, startEmbeddedPostgres, withTenant, type ServicePools } from '@stockline/db';
import { OutboxRelay, Topic, appendOutboxEvents, createPubSub, type DomainEvent, type PubSub } from '@stockline/events';
import { TEST_DATABASE_URL, createTestDatabase, freeLoopbackPort, uniqueTenant, type TestDatabase } from '@stockline/testkit';
import { createPrisma } from '../../src/data/prisma.ts';

const migrationsOf = (service: string) => fileURLToPath(new URL(`../../../${service}/prisma/migrations`, import.meta.url));
const INSERT_ITEM = `INSERT INTO inventory.items (id, tenant_id, sku, name, updated_at) VALUES ($1, $2, $3, 'Item', now())`;

/** Two tenants with two items each, written by the owner (as a migration or the relay would). */
async function seedTwoTenants(pools: ServicePools) {
  const a = uniqueTenant('rls-a');
  const b = uniqueTenant('rls-b');
  const items: Record<string, string[]> = { [a]: [randomUUID(), randomUUID()], [b]: [randomUUID(), randomUUID()] };
  for (const [tenant, ids] of Object.entries(items)) {
    for (const [i, id] of ids.entries()) await pools.owner.query(INSERT_ITEM, [id, tenant, `SKU-${i}`]);
  }
  return { a, b, items };
}

describe('row-level security on PostgreSQL', () => {
  let database: TestDatabase;
  let pools: ServicePools;
  let bus: PubSub;
  let a: string;
  let b: string;
  let items: Record<string, string[]>;

  beforeAll(async () => {
    database = await createTestDatabase('rls');
    // One tenant connection, so that every statement below reuses the connection the one before used.
    pools = createServicePools({ url: database.url, max: 1, ownerMax: 2, applicationName: 'rls-test' });
    for (const service of ['inventory', 'orders', 'media', 'access']) await runMigrations({ pool: pools.owner, schema: service, dir: migrationsOf(service) });
    ({ a, b, items } = await seedTwoTenants(pools));
    bus = createPubSub({ redisUrl: null });
  });
  afterAll(async () => {
    await bus?.close();
    await pools?.end();
    await database?.drop();
  });

  it('a query with no tenant condition sees only the tenant of its scope', async () => {
    const db = createPrisma(pools.scoped);
    const rows = await withTenant(a, () => db.$queryRawUnsafe<{ tenant_id: string; id: string }[]>('SELECT tenant_id, id FROM inventory.items'));
    expect(rows.map((r) => r.tenant_id)).toEqual([a, a]);
    expect(rows.map((r) => r.id).sort()).toEqual([...items[a]].sort());
    const inTransaction = await withTenant(b, () => db.transaction((tx) => tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id FROM inventory.items')));
    expect(inTransaction.map((r: { tenant_id: string }) => r.tenant_id)).toEqual([b, b]);
  });

  it('outside any scope the service sees no row at all, even right after another tenant used the same connection', async () => {
    await withTenant(a, () => pools.scoped.query('SELECT 1 FROM inventory.items'));
    expect((await pools.scoped.query('SELECT * FROM inventory.items')).rows).toEqual([]);
    const { rows } = await pools.tenant.query<{ role: string; tenant: string | null }>(`SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant`);
    expect(rows).toEqual([{ role: 'stockline_app', tenant: '' }]);
  });

  it("an insert of another tenant's row is refused by the policy and writes nothing", async () => {
    const id = randomUUID();
    const refused = withTenant(a, () => pools.scoped.query(INSERT_ITEM, [id, b, 'SKU-SNEAKY']));
    await expect(refused).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('row-level security') });
    const db = createPrisma(pools.scoped);
    await expect(withTenant(a, () => db.transaction((tx) => tx.$executeRawUnsafe(INSERT_ITEM, id, b, 'SKU-SNEAKY')))).rejects.toMatchObject({ code: '42501' });
    expect((await pools.owner.query('SELECT 1 FROM inventory.items WHERE id = $1', [id])).rowCount).toBe(0);
  });

  it("an update or delete of another tenant's row by its id alone changes nothing", async () => {
    const theirs = items[a][0];
    const renamed = await withTenant(b, () => pools.scoped.query(`UPDATE inventory.items SET name = 'renamed by b' WHERE id = $1`, [theirs]));
    const deleted = await withTenant(b, () => pools.scoped.query('DELETE FROM inventory.items WHERE id = $1', [theirs]));
    expect([renamed.rowCount, deleted.rowCount]).toEqual([0, 0]);
    expect((await pools.owner.query('SELECT name FROM inventory.items WHERE id = $1', [theirs])).rows).toEqual([{ name: 'Item' }]);
  });

  it('the system scope and the owner pool see every tenant', async () => {
    const sql = 'SELECT DISTINCT tenant_id FROM inventory.items WHERE tenant_id = ANY($1) ORDER BY 1';
    const system = await asSystem('test', () => pools.scoped.query(sql, [[a, b]]));
    const owner = await pools.owner.query(sql, [[a, b]]);
    expect(system.rows).toEqual([a, b].sort().map((tenant_id) => ({ tenant_id })));
    expect(owner.rows).toEqual(system.rows);
  });

  it("the outbox relay, on the owner's connections, publishes every tenant's events", async () => {
    const channel = `rls-relay-${randomBytes(3).toString('hex')}`;
    const seen: DomainEvent[] = [];
    const subscription = await bus.subscribe(channel, (e: DomainEvent) => seen.push(e), {});
    for (const tenantId of [a, b]) {
      await withTenant(tenantId, async () => {
        const client = await pools.scoped.connect();
        try {
          await client.query('BEGIN');
          await appendOutboxEvents(
            { $executeRawUnsafe: (q, ...v) => client.query(q, v).then((r: { rowCount: number | null }) => r.rowCount ?? 0) },
            { schema: 'inventory', tenantId, events: [{ type: Topic.StockChanged, payload: { tenantId } }] },
          );
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      });
    }
    const relay = new OutboxRelay({ pool: pools.owner, schema: 'inventory', bus, channel, intervalMs: 20 });
    relay.start();
    try {
      await relay.drain();
      expect(seen.map((e) => e.tenantId).sort()).toEqual([a, b].sort());
    } finally {
      await relay.stop();
      await bus.unsubscribe(subscription);
    }
  });

  it('every table with a tenant_id column has row-level security and a policy that reads app.tenant_id', async () => {
    const { rows } = await pools.owner.query<{ table: string; enabled: boolean; policy: string | null }>(`
      SELECT c.relnamespace::regnamespace || '.' || c.relname AS table, c.relrowsecurity AS enabled,
             (SELECT string_agg(pg_get_expr(p.polqual, p.polrelid) || ' / ' || pg_get_expr(p.polwithcheck, p.polrelid), '; ')
                FROM pg_policy p WHERE p.polrelid = c.oid) AS policy
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p') AND c.relnamespace::regnamespace::text IN ('inventory', 'orders', 'media', 'access')
      ORDER BY 1`);
    expect(rows.length).toBeGreaterThanOrEqual(23);
    const check = "(tenant_id = current_setting('app.tenant_id'::text, true))";
    expect(rows.filter((r) => !r.enabled || r.policy !== `${check} / ${check}`)).toEqual([]);
  });

  it('the request role cannot bypass row-level security', async () => {
    const { rows } = await pools.owner.query(`SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'stockline_app'`);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
  });
});

/**
 * SQL that tries to leave stockline_app inside a request's transaction (an injection would), then reads
 * every tenant's items. What it got: the tenants it saw, or the code of the refusal (of the escape, or of the read).
 */
async function tryToEscape(pools: ServicePools, tenant: string, escape: string): Promise<string[] | string> {
  return withTenant(tenant, async () => {
    const client: pg.PoolClient = await pools.scoped.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1');
      try {
        await client.query(escape);
      } catch (error) {
        return `escape refused (${(error as { code?: string }).code})`;
      }
      try {
        const { rows } = await client.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM inventory.items ORDER BY 1');
        return rows.map((r) => r.tenant_id);
      } catch (error) {
        return `read refused (${(error as { code?: string }).code})`;
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  });
}

describe('the request pool on a login of its own (DATABASE_APP_URL), on PostgreSQL', () => {
  let database: TestDatabase;
  /** The request pool on the owner's login (no DATABASE_APP_URL). */
  let ownerLogin: ServicePools;
  /** The request pool on the login createAppLogin made. */
  let pools: ServicePools;
  let login: string;
  let owner: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    database = await createTestDatabase('rls_login');
    ownerLogin = createServicePools({ url: database.url, max: 1, ownerMax: 1, applicationName: 'rls-owner-login-test' });
    await runMigrations({ pool: ownerLogin.owner, schema: 'inventory', dir: migrationsOf('inventory') });
    ({ a, b } = await seedTwoTenants(ownerLogin));
    owner = (await ownerLogin.owner.query<{ me: string }>('SELECT current_user AS me')).rows[0].me;
    // Roles are the cluster's: a name of this file's own, made twice to show the helper is idempotent.
    login = `stockline_api_${randomBytes(4).toString('hex')}`;
    await createAppLogin({ pool: ownerLogin.owner, role: login });
    await createAppLogin({ pool: ownerLogin.owner, role: login });
    const appUrl = new URL(database.url);
    appUrl.username = login;
    appUrl.password = '';
    pools = createServicePools({ url: database.url, appUrl: appUrl.toString(), max: 1, ownerMax: 1, applicationName: 'rls-app-login-test' });
  });
  afterAll(async () => {
    await Promise.all([pools?.end(), ownerLogin?.end()]);
    await database?.drop();
    if (login) {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS "${login}"`);
      await admin.end();
    }
  });

  it('serves a request as usual: as stockline_app, logged in as the login, seeing its tenant only', async () => {
    const { rows }: pg.QueryResult<{ session: string; role: string; tenant_id: string }> = await withTenant(a, () => pools.scoped.query('SELECT session_user AS session, current_user AS role, tenant_id FROM inventory.items'));
    expect(rows.map((r) => [r.session, r.role, r.tenant_id])).toEqual([[login, 'stockline_app', a], [login, 'stockline_app', a]]);
    const prisma = await withTenant(b, () => createPrisma(pools.scoped).$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id FROM inventory.items'));
    expect(prisma.map((r) => r.tenant_id)).toEqual([b, b]);
  });

  it("SQL on a request connection that leaves stockline_app reaches no other tenant's row", async () => {
    const escapes = ['SET ROLE NONE', 'RESET ROLE', `SET ROLE "${owner}"`, "SELECT set_config('role', 'none', false)", `SELECT set_config('role', '${owner}', false)`, 'SET SESSION AUTHORIZATION DEFAULT'];
    const outcomes: Record<string, string[] | string> = {};
    for (const escape of escapes) outcomes[escape] = await tryToEscape(pools, a, escape);
    expect(outcomes).toEqual({
      // The login itself: NOINHERIT, no privilege of its own.
      'SET ROLE NONE': 'read refused (42501)',
      // Back to the connection's startup role, stockline_app, with the transaction's tenant.
      'RESET ROLE': [a],
      [`SET ROLE "${owner}"`]: 'escape refused (42501)',
      "SELECT set_config('role', 'none', false)": 'read refused (42501)',
      [`SELECT set_config('role', '${owner}', false)`]: 'escape refused (42501)',
      // The session user is the login, not the owner: nothing to go back to.
      'SET SESSION AUTHORIZATION DEFAULT': [a],
    });
    // And the one connection of the pool serves the next request as before.
    const after: pg.QueryResult = await withTenant(b, () => pools.scoped.query('SELECT DISTINCT tenant_id FROM inventory.items'));
    expect(after.rows).toEqual([{ tenant_id: b }]);
  });

  it("the owner's pool still sees every tenant: migrations, the relay and asSystem are unchanged", async () => {
    const sql = 'SELECT DISTINCT tenant_id FROM inventory.items ORDER BY 1';
    expect((await asSystem('test', () => pools.scoped.query(sql))).rows).toEqual([a, b].sort().map((tenant_id) => ({ tenant_id })));
    expect((await pools.owner.query<{ me: string }>('SELECT current_user AS me')).rows).toEqual([{ me: owner }]);
  });

  it('without it, SQL that runs SET ROLE NONE on a request connection is the owner and sees every tenant (the weaker guarantee docs/data.md states)', async () => {
    expect(await tryToEscape(ownerLogin, a, 'SET ROLE NONE')).toEqual([a, b].sort());
  });
});

describe('row-level security on embedded PostgreSQL (PGlite), one session behind every connection', () => {
  let dataDir: string;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let pools: ServicePools;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rls-pglite-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: await freeLoopbackPort() });
    pools = createServicePools({ url: embedded.url, max: 2, ownerMax: 2, applicationName: 'rls-pglite-test' });
    await runMigrations({ pool: pools.owner, schema: 'inventory', dir: migrationsOf('inventory') });
  }, 60_000);
  afterAll(async () => {
    await pools?.end();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("a tenant's query sees its rows only, and the owner's connections still see every tenant's after it", async () => {
    const { a, b } = await seedTwoTenants(pools);
    const mine = await withTenant(a, () => pools.scoped.query('SELECT tenant_id FROM inventory.items'));
    expect(mine.rows.map((r: { tenant_id: string }) => r.tenant_id)).toEqual([a, a]);
    await expect(withTenant(a, () => pools.scoped.query(INSERT_ITEM, [randomUUID(), b, 'SKU-SNEAKY']))).rejects.toMatchObject({ code: '42501' });
    expect((await pools.scoped.query('SELECT 1 FROM inventory.items')).rowCount).toBe(0);
    const { rows } = await pools.owner.query<{ role: string; n: number }>('SELECT current_user AS role, count(*)::int AS n FROM inventory.items');
    expect(rows).toEqual([{ role: 'postgres', n: 4 }]);
  });
});
