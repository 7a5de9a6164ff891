import type pg from 'pg';

/**
 * A piece of SQL with its parameters, built by the `sql` tag; fragments nest (`${cond}` inside `sql`),
 * plain values become `$n` parameters. Arrays go to PostgreSQL as arrays (`${ids}::uuid[]`).
 */
export class SqlFragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): SqlFragment {
  const outStrings: string[] = [strings[0]];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof SqlFragment) {
      outStrings[outStrings.length - 1] += value.strings[0];
      for (let k = 0; k < value.values.length; k++) {
        outValues.push(value.values[k]);
        outStrings.push(value.strings[k + 1]);
      }
      outStrings[outStrings.length - 1] += strings[i + 1];
    } else {
      outValues.push(value);
      outStrings.push(strings[i + 1]);
    }
  });
  return new SqlFragment(outStrings, outValues);
}

export const empty = new SqlFragment([''], []);

export function join(fragments: SqlFragment[], separator: string): SqlFragment {
  if (fragments.length === 0) return empty;
  return sql(['', ...fragments.slice(1).map(() => separator), ''], ...fragments);
}

/**
 * The raw-SQL surface every repository, the idempotency store and the outbox writer use: the same
 * names as Prisma's raw API (what @stockline/idempotency and @stockline/events already accept),
 * served by `pg` directly, without Prisma's query engine on the hot path.
 */
export interface Sql {
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T>;
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(text: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(text: string, ...values: unknown[]): Promise<number>;
}

// Statements are prepared once per connection under a name (PostgreSQL skips parse and plan afterwards).
const names = new Map<string, string>();
const MAX_NAMED = 1_000;
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) names.set(text, (name = `inv_${names.size}`));
  return name;
}

function toQuery(fragment: SqlFragment): { text: string; values: unknown[] } {
  let text = fragment.strings[0];
  for (let i = 1; i < fragment.strings.length; i++) text += `$${i}${fragment.strings[i]}`;
  return { text, values: fragment.values as unknown[] };
}

type Runner = Pick<pg.Pool | pg.PoolClient, 'query'>;

class Executor implements Sql {
  constructor(
    protected readonly runner: Runner,
    /** Prepare statements under a name (off on embedded PostgreSQL, whose one session every connection shares). */
    protected readonly named = true,
  ) {}

  async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
    return (await this.run(toQuery(sql(strings, ...values)))).rows as T;
  }

  async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
    return (await this.run(toQuery(sql(strings, ...values)))).rowCount ?? 0;
  }

  async $queryRawUnsafe<T>(text: string, ...values: unknown[]): Promise<T> {
    return (await this.run({ text, values })).rows as T;
  }

  async $executeRawUnsafe(text: string, ...values: unknown[]): Promise<number> {
    return (await this.run({ text, values })).rowCount ?? 0;
  }

  private run({ text, values }: { text: string; values: unknown[] }) {
    return this.runner.query({ name: this.named && values.length ? nameOf(text) : undefined, text, values });
  }
}

/** The service's database: queries on the pool, and transactions on one pooled connection. */
export class Database extends Executor {
  constructor(
    private readonly pool: pg.Pool,
    { namedStatements = true }: { namedStatements?: boolean } = {},
  ) {
    super(pool, namedStatements);
  }

  /** Nothing to release: the pool belongs to whoever made it (openServiceData closes it). */
  async $disconnect(): Promise<void> {}

  /**
   * Runs `fn` in one READ COMMITTED transaction (PostgreSQL's default, so no SET TRANSACTION round trip)
   * on one connection; commits when it resolves, rolls back when it throws.
   */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection whose ROLLBACK failed may still be inside the transaction (or broken): it is destroyed
    // rather than handed to the next caller with its locks.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new Executor(client, this.named));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
