/**
 * `npm start`: the whole platform in one process. With no DATABASE_URL / REDIS_URL it runs on
 * embedded defaults (PGlite under .data/, an in-process bus) and seeds the demo tenant.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { DEV_JWT_SECRET, signToken } from '@stockline/auth';
import { loadLauncherConfig } from './launcher-config.ts';
import { startPlatform } from './platform.ts';

const launcher = loadLauncherConfig();
if (!existsSync(new URL('../gateway/graphiql/dist/index.html', import.meta.url))) {
  console.log('building GraphiQL (first start only)…');
  execFileSync('npm', ['run', '-s', 'build', '-w', '@stockline/gateway'], { stdio: 'inherit' });
}
// The dev token is made before the gateway starts so GraphiQL can pre-fill it.
const devToken = launcher.production
  ? null
  : await signToken({ sub: 'dev-admin', tenant: 'demo', roles: ['admin'], secret: process.env.JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: '30d' });
const env: Record<string, string | undefined> = {
  ...process.env,
  SEED_DEMO: String(launcher.seedDemo),
  ...(devToken && !process.env.GRAPHIQL_DEV_TOKEN ? { GRAPHIQL_DEV_TOKEN: devToken } : {}),
};

const platform = await startPlatform({
  env,
  dataDir: launcher.dataDir,
  embeddedPgPort: launcher.embeddedPgPort,
  ports: { gateway: launcher.gatewayPort, inventory: launcher.inventoryPort, orders: launcher.ordersPort },
});
const base = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
console.log(`
  Stockline is up${platform.embedded ? ' on embedded defaults (PostgreSQL in ' + launcher.dataDir + '/, in-process events)' : ''}.

  GraphQL   ${base}/graphql
  GraphiQL  ${base}/graphiql
  Ready     ${base}/readyz
${devToken ? `
  Dev token (tenant demo, role admin, 30 days):

  ${devToken}

  Try:
  curl -s ${base}/graphql -H 'content-type: application/json' \\
    -H "authorization: Bearer <the token above>" \\
    -d '{"query":"{ items(first: 5) { totalCount nodes { sku name category { name } } } }"}'
` : ''}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    await platform.stop();
    console.log('Stockline stopped cleanly.');
    process.exit(0);
  });
}
