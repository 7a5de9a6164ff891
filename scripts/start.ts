/**
 * `npm start`. With DATABASE_URL (and REDIS_URL) every service of the registry runs as its own
 * process under a small supervisor (scripts/launcher). Without, the platform runs in this one
 * process on embedded defaults (PGlite under .data/, an in-process bus) and seeds the demo tenant.
 * Either way SIGTERM/SIGINT — or the death of whatever started it (npm) — stops everything and exits 0.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { DEV_JWT_SECRET, signToken } from '@stockline/auth';
import { onParentExit } from '@stockline/service';
import { loadLauncherConfig } from './launcher-config.ts';
import { runServices } from './launcher/run-services.ts';
import { startPlatform } from './platform.ts';

const launcher = loadLauncherConfig();
let stopPlatform: (() => Promise<void>) | null = null;
let stopRequested = false;
const shutdown = async (reason: string) => {
  if (stopRequested) return;
  stopRequested = true;
  console.log(`Stockline stopping (${reason})…`);
  try {
    await stopPlatform?.();
    console.log('Stockline stopped cleanly.');
    process.exit(0);
  } catch (err) {
    console.error('Stockline failed to stop cleanly:', err);
    process.exit(1);
  }
};
// Installed first: a signal during start-up stops what has started.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
onParentExit(() => void shutdown('parent process exited'));

if (!existsSync(new URL('../gateway/graphiql/dist/index.html', import.meta.url))) {
  console.log('building GraphiQL (first start only)…');
  execFileSync('npm', ['run', '-s', 'build', '-w', '@stockline/gateway'], { stdio: 'inherit' });
}
if (!existsSync(new URL('../clients/web/dist/index.html', import.meta.url))) {
  console.log('building the web app (first start only)…');
  execFileSync('npm', ['run', '-s', 'build', '-w', '@stockline/web'], { stdio: 'inherit' });
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

let gatewayUrl: string;
let mode: string;
if (process.env.DATABASE_URL) {
  // Media links to its objects through the gateway's /media proxy, as on embedded defaults.
  if (!env.MEDIA_PUBLIC_URL && launcher.gatewayPort) env.MEDIA_PUBLIC_URL = `http://127.0.0.1:${launcher.gatewayPort}`;
  const runner = runServices({
    env,
    ports: launcher.ports,
    readyTimeoutMs: launcher.readyTimeoutMs,
    stopTimeoutMs: launcher.stopTimeoutMs,
    write: (line) => process.stdout.write(`${line}\n`),
  });
  stopPlatform = runner.stop;
  const urls = await runner.start().catch(async (err: Error) => {
    if (stopRequested) return new Promise<never>(() => {});
    console.error(`Stockline failed to start: ${err.message}`);
    process.exit(1);
  });
  gatewayUrl = urls.gateway;
  mode = ` as ${runner.services.length} processes (${runner.services.map((s) => `${s.name} pid ${s.pid}`).join(', ')})`;
} else {
  const platform = await startPlatform({ env, dataDir: launcher.dataDir, embeddedPgPort: launcher.embeddedPgPort, ports: launcher.ports });
  stopPlatform = platform.stop;
  if (stopRequested) await platform.stop();
  gatewayUrl = platform.gatewayUrl;
  mode = ` on embedded defaults (PostgreSQL in ${launcher.dataDir}/, in-process events)`;
}

const base = gatewayUrl.replace('127.0.0.1', 'localhost');
console.log(`
  Stockline is up${mode}; launcher pid ${process.pid}.

  GraphQL   ${base}/graphql
  GraphiQL  ${base}/graphiql
  Board     ${base}/app
  Ready     ${base}/readyz
${devToken ? `
  Dev token (tenant demo, role admin, 30 days):

  ${devToken}

  Try:
  curl -s ${base}/graphql -H 'content-type: application/json' \\
    -H "authorization: Bearer <the token above>" \\
    -d '{"query":"{ items(first: 5) { totalCount nodes { sku name category { name } } } }"}'
` : ''}`);
