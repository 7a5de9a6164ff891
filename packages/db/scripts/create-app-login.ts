/**
 * Creates (or brings into line) the login DATABASE_APP_URL names, for services' request pools:
 * `DATABASE_URL=<a role that may create roles> DATABASE_APP_URL=postgresql://stockline_api:<secret>@host/db npm run create-app-login -w @stockline/db`.
 * The role's name and password are DATABASE_APP_URL's (no password in it: none is set, for trust,
 * certificate or IAM authentication). See docs/data.md#tenant-isolation.
 */
import pg from 'pg';
import { createAppLogin } from '../src/create-app-login.ts';

const adminUrl = process.env.DATABASE_URL;
const appUrl = process.env.DATABASE_APP_URL;
if (!adminUrl || !appUrl) {
  console.error('DATABASE_URL (a role that may create roles) and DATABASE_APP_URL (the login to create, with its password) are both required');
  process.exit(1);
}
const app = new URL(appUrl);
const role = decodeURIComponent(app.username);
if (!role) {
  console.error('DATABASE_APP_URL names no user: postgresql://<login>:<password>@host:port/database');
  process.exit(1);
}
const client = new pg.Client({ connectionString: adminUrl });
await client.connect();
try {
  await createAppLogin({ pool: client, role, password: app.password ? decodeURIComponent(app.password) : null });
  console.log(`role "${role}": LOGIN NOINHERIT NOBYPASSRLS, member of stockline_app${app.password ? ', password set' : ''}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await client.end();
}
