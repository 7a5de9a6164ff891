import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { AppLoginRefused, createAppLogin } from '../src/create-app-login.ts';
import { APP_ROLE } from '../src/tenant-client.ts';

let db: TestDatabase;
let admin: pg.Client;
const suffix = randomBytes(4).toString('hex');
const made: string[] = [];
const name = (label: string) => {
  const role = `stockline_${label}_${suffix}`;
  made.push(role);
  return role;
};

beforeAll(async () => {
  db = await createTestDatabase('app_login');
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
  // Roles are the cluster's; dropped once the database with anything they owned is gone.
  const cluster = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await cluster.connect();
  for (const role of made.reverse()) await cluster.query(`DROP ROLE IF EXISTS "${role}"`);
  await cluster.end();
});

describe('createAppLogin', () => {
  it('makes a login that holds nothing itself, cannot bypass row-level security and may switch to stockline_app; again changes nothing but the password', async () => {
    const role = name('api');
    await createAppLogin({ pool: admin, role, password: 'first' });
    await createAppLogin({ pool: admin, role, password: 'second' });
    const { rows } = await admin.query(
      `SELECT rolcanlogin, rolinherit, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolpassword IS NOT NULL AS has_password,
              pg_has_role(rolname, $2, 'MEMBER') AS member
         FROM pg_authid WHERE rolname = $1`,
      [role, APP_ROLE],
    );
    expect(rows).toEqual([{ rolcanlogin: true, rolinherit: false, rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, has_password: true, member: true }]);
  });

  it('brings an existing role that could bypass row-level security into line', async () => {
    const role = name('loose');
    await admin.query(`CREATE ROLE "${role}" LOGIN INHERIT BYPASSRLS CREATEDB`);
    await createAppLogin({ pool: admin, role });
    const { rows } = await admin.query('SELECT rolinherit, rolbypassrls, rolcreatedb FROM pg_roles WHERE rolname = $1', [role]);
    expect(rows).toEqual([{ rolinherit: false, rolbypassrls: false, rolcreatedb: false }]);
  });

  it('refuses the role it is connected as, and a login that is a member of the owner of a table under row-level security', async () => {
    const me = (await admin.query<{ me: string }>('SELECT current_user AS me')).rows[0].me;
    await expect(createAppLogin({ pool: admin, role: me })).rejects.toBeInstanceOf(AppLoginRefused);
    const tableOwner = name('owner');
    const role = name('member');
    await admin.query(`CREATE ROLE "${tableOwner}" NOLOGIN`);
    await admin.query(`CREATE TABLE secrets (tenant_id text)`);
    await admin.query(`ALTER TABLE secrets OWNER TO "${tableOwner}"`);
    await admin.query(`ALTER TABLE secrets ENABLE ROW LEVEL SECURITY`);
    await admin.query(`CREATE ROLE "${role}" LOGIN IN ROLE "${tableOwner}"`);
    await expect(createAppLogin({ pool: admin, role })).rejects.toBeInstanceOf(AppLoginRefused);
  });
});
