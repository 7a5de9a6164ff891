/**
 * What the tenant preamble costs per statement, on one connection, with no HTTP in the way
 * (docs/data.md#tenant-isolation). Three clients, one connection each, on a fresh database:
 *   owner     plain pg.Client as the owner (superuser here): no preamble, no row-level security;
 *   unnamed   TenantClient with the preamble parsed with every statement (preparePreamble: false);
 *   prepared  TenantClient with the preamble prepared once per connection (the default).
 * Three workloads, `--n` each per client per round: a primary-key SELECT of a stock level outside a
 * transaction; its UPDATE … RETURNING in an implicit transaction; BEGIN, SELECT, UPDATE, COMMIT.
 * `--rounds` rounds, the clients' order rotating from round to round; prints the median per workload
 * and client of the rounds' mean µs per statement (per transaction for the last workload). Commits do
 * not wait for the disk unless `--synchronous-commit on`: the flush is the same for every client, and
 * its jitter on a shared disk is larger than the difference measured.
 *
 *   node --import tsx packages/db/bench/preamble-cost.ts [--n 1500] [--rounds 6] [--synchronous-commit off]
 *
 * PostgreSQL from BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres); the
 * database is created and dropped.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { APP_ROLE, TenantClient } from '../src/tenant-client.ts';
import { withTenant } from '../src/tenant-scope.ts';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '1500' }, rounds: { type: 'string', default: '6' }, 'synchronous-commit': { type: 'string', default: 'off' } } });
const N = Number(args.n);
const ROUNDS = Number(args.rounds);
/** off by default: a commit's flush to disk is the same for every client and its jitter would drown the difference. */
const SYNC = `-c synchronous_commit=${args['synchronous-commit'] === 'on' ? 'on' : 'off'}`;
const ROWS = 1_000;
const TENANT = 'bench';
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const name = `stockline_bench_preamble_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;

type Client = pg.Client;
const clients: Record<string, Client> = {};
try {
  const owner = new pg.Client({ connectionString: url.toString(), options: SYNC });
  await owner.connect();
  await owner.query(`DO $$ BEGIN CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  await owner.query(`CREATE TABLE stock_levels (tenant_id text NOT NULL, item_id int NOT NULL, quantity int NOT NULL, version int NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, item_id))`);
  await owner.query(`ALTER TABLE stock_levels ENABLE ROW LEVEL SECURITY`);
  await owner.query(`CREATE POLICY tenant_isolation ON stock_levels USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`);
  await owner.query(`GRANT SELECT, UPDATE ON stock_levels TO ${APP_ROLE}`);
  await owner.query(`INSERT INTO stock_levels (tenant_id, item_id, quantity) SELECT $1, i, 100 FROM generate_series(1, $2) i`, [TENANT, ROWS]);
  await owner.query('VACUUM ANALYZE stock_levels');
  clients.owner = owner;
  for (const [label, preparePreamble] of [['unnamed', false], ['prepared', true]] as const) {
    const client = new TenantClient({ connectionString: url.toString(), options: `-c role=${APP_ROLE} ${SYNC}`, preparePreamble });
    await client.connect();
    clients[label] = client;
  }

  const SELECT = 'SELECT tenant_id, item_id, quantity, version FROM stock_levels WHERE tenant_id = $1 AND item_id = $2';
  const UPDATE = 'UPDATE stock_levels SET quantity = quantity + 1, version = version + 1 WHERE tenant_id = $1 AND item_id = $2 RETURNING quantity, version';
  const workloads: Record<string, (client: Client, i: number) => Promise<unknown>> = {
    select: (client, i) => client.query(SELECT, [TENANT, (i % ROWS) + 1]),
    update: (client, i) => client.query(UPDATE, [TENANT, (i % ROWS) + 1]),
    transaction: async (client, i) => {
      await client.query('BEGIN');
      await client.query(SELECT, [TENANT, (i % ROWS) + 1]);
      await client.query(UPDATE, [TENANT, (i % ROWS) + 1]);
      await client.query('COMMIT');
    },
  };

  /** Mean µs per call of `n` calls, in the bench tenant's scope (the owner ignores it). */
  const run = (client: Client, work: (client: Client, i: number) => Promise<unknown>, n: number) =>
    withTenant(TENANT, async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await work(client, i);
      return Number(process.hrtime.bigint() - start) / 1_000 / n;
    });

  const labels = Object.keys(clients);
  const results: Record<string, Record<string, number[]>> = {};
  for (const [workload, work] of Object.entries(workloads)) {
    results[workload] = Object.fromEntries(labels.map((l) => [l, []]));
    for (const label of labels) {
      // Checked once: the tenant clients see the tenant's rows only through the policy.
      const { rowCount } = await withTenant(TENANT, () => clients[label].query(SELECT, [TENANT, 1]));
      if (rowCount !== 1) throw new Error(`${label} does not see the bench tenant's row`);
      await run(clients[label], work, Math.min(200, N));
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = labels.map((_, k) => labels[(k + round) % labels.length]);
      for (const label of order) results[workload][label].push(await run(clients[label], work, N));
    }
  }

  const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  console.log(`${N} per client per round, ${ROUNDS} rounds, ${SYNC}, median of the rounds' mean µs per call (per transaction for "transaction")`);
  console.log(['workload', ...labels, 'unnamed/owner', 'prepared/owner', 'prepared/unnamed'].join('\t'));
  for (const [workload, byLabel] of Object.entries(results)) {
    const m = Object.fromEntries(labels.map((l) => [l, median(byLabel[l])]));
    console.log([workload, ...labels.map((l) => m[l].toFixed(0)), (m.unnamed / m.owner).toFixed(3), (m.prepared / m.owner).toFixed(3), (m.prepared / m.unnamed).toFixed(3)].join('\t'));
    console.log(['  rounds', ...labels.map((l) => byLabel[l].map((x) => x.toFixed(0)).join('/'))].join('\t'));
  }
} finally {
  await Promise.all(Object.values(clients).map((c) => c.end().catch(() => undefined)));
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
