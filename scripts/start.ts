/**
 * `npm start`: the whole platform in one process. With no DATABASE_URL / REDIS_URL it runs on
 * embedded defaults (PGlite under .data/, an in-process bus) and seeds the demo tenant.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { DEV_JWT_SECRET, signToken } from '@stockline/auth';
import { startPlatform } from './platform.ts';

const env: Record<string, string | undefined> = { SEED_DEMO: 'true', ...process.env };
if (!existsSync(new URL('../gateway/graphiql/dist/index.html', import.meta.url))) {
  console.log('building GraphiQL (first start only)…');
  execFileSync('npm', ['run', '-s', 'build', '-w', '@stockline/gateway'], { stdio: 'inherit' });
}
// The dev token is made before the gateway starts so GraphiQL can pre-fill it.
const devToken =
  env.NODE_ENV === 'production' ? null : await signToken({ sub: 'dev-admin', tenant: 'demo', roles: ['admin'], secret: env.JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: '30d' });
if (devToken) env.GRAPHIQL_DEV_TOKEN ??= devToken;

const platform = await startPlatform({ env, ports: { gateway: Number(env.PORT ?? 4000) } });
const base = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
console.log(`
  Stockline is up${platform.embedded ? ' (embedded PostgreSQL in .data/, in-process events)' : ''}.

  GraphQL   ${base}/graphql
  GraphiQL  ${base}/graphiql
  Ready     ${base}/readyz
${devToken ? `
  Dev token (tenant demo, role admin, 30 days):
  ${devToken}

  curl -s ${base}/graphql -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${devToken.slice(0, 12)}…' \\
    -d '{"query":"{ items(first: 5) { totalCount nodes { sku name category { name } } } }"}'
` : ''}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    await platform.stop();
    process.exit(0);
  });
}
