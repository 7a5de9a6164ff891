import pg from 'pg';
import { APP_ROLE } from './tenant-client.ts';

/** The attributes of the login the request pools connect as: it may log in and switch to APP_ROLE, nothing else. */
const LOGIN_ATTRIBUTES = 'LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

/** Thrown when the login would not be held by row-level security (it is the caller, or a member of a role that is not). */
export class AppLoginRefused extends Error {}

/**
 * Creates, or brings into line, the login that services' request pools connect as (DATABASE_APP_URL;
 * docs/data.md#tenant-isolation): LOGIN, NOINHERIT, NOBYPASSRLS and nothing more, a member of APP_ROLE
 * (made here too when no migration has made it yet). NOINHERIT: the login itself holds no privilege, so
 * SQL that leaves APP_ROLE (`SET ROLE NONE`) can read nothing at all; the connection's startup option and
 * TenantClient's `set_config('role', …)` switch to APP_ROLE, which membership allows.
 *
 * Run by an operator (`npm run create-app-login -w @stockline/db`) with a role that may create roles (a
 * superuser, or CREATEROLE with ADMIN on APP_ROLE); the services do not run it (the docs say why).
 * Idempotent: an existing role gets the same attributes, and `password` when one is given (none: the
 * password, if any, stays; for trust, certificate or IAM authentication).
 *
 * Refuses (AppLoginRefused) a login that is the connected role, or that is a member of a superuser, of a
 * BYPASSRLS role or of the owner of a table under row-level security in this database: it could switch
 * to that role and leave the policies behind.
 */
export async function createAppLogin({ pool, role, password = null }: { pool: pg.Pool | pg.Client; role: string; password?: string | null }): Promise<void> {
  const { rows: [me] } = await pool.query<{ me: string }>('SELECT current_user AS me');
  if (role === me.me) throw new AppLoginRefused(`role "${role}" is the role creating it (the owner?): the request pool's login must be a role of its own`);
  await pool.query(`DO $$ BEGIN CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  const exists = (await pool.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
  const withPassword = password == null ? '' : ` PASSWORD ${pg.escapeLiteral(password)}`;
  await pool.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${pg.escapeIdentifier(role)} ${LOGIN_ATTRIBUTES}${withPassword}`);
  await pool.query(`GRANT ${APP_ROLE} TO ${pg.escapeIdentifier(role)}`);
  const { rows } = await pool.query<{ rolname: string }>(
    `SELECT r.rolname FROM pg_roles r
      WHERE r.rolname NOT IN ($1::name, $2::name) AND pg_has_role($1::name, r.oid, 'MEMBER')
        AND (r.rolsuper OR r.rolbypassrls OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid AND c.relrowsecurity))
      ORDER BY 1`,
    [role, APP_ROLE],
  );
  if (rows.length > 0) {
    throw new AppLoginRefused(`role "${role}" is a member of ${rows.map((r) => `"${r.rolname}"`).join(', ')}, which row-level security does not hold: revoke that membership`);
  }
}
