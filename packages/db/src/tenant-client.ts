import pg from 'pg';
import { currentTenantId } from './tenant-scope.ts';

/** The role request work runs as: NOBYPASSRLS, made by each service's row-level-security migration. */
export const APP_ROLE = 'stockline_app';

/** What row-level security reads; set per transaction, never per session. */
export const TENANT_SETTING = 'app.tenant_id';

const PREAMBLE = `SELECT set_config('role', $1, true), set_config('${TENANT_SETTING}', $2, true)`;
const OPENS_TRANSACTION = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i;
const SETS_TRANSACTION = /^\s*SET\s+TRANSACTION\b/i;

type Callback = (error: Error | null, result?: unknown) => void;
type QueryConfig = pg.QueryConfig & { rowMode?: string; types?: unknown; queryMode?: string };

interface ProtocolConnection {
  parse(config: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string }): void;
  parsedStatements: Record<string, string>;
}

// pg.Query's protocol steps (prepare, handleDataRow, …) are not in its type definitions.
const QueryBase = pg.Query as unknown as new (config: QueryConfig) => {
  name?: string;
  callback?: Callback;
  prepare(connection: ProtocolConnection): void;
  hasBeenParsed(connection: ProtocolConnection): boolean;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: ProtocolConnection): void;
  handleError(error: Error, connection: ProtocolConnection): void;
};

/**
 * A statement sent with the tenant in front of it, in one exchange: Parse/Bind/Execute of
 * `set_config(…, true)`, then the statement's own Parse/Bind/Describe/Execute, then one Sync. Messages
 * before a Sync run in one implicit transaction, so the setting holds for the statement and ends with
 * it; the extra statement costs no round trip. Its one row and its CommandComplete are not the caller's.
 */
class TenantStatement extends QueryBase {
  private inPreamble = true;
  private parsedHere = false;
  /** ParseCompletes received: the preamble's, then the statement's own (when it was parsed here). */
  parseCompletes = 0;

  constructor(
    config: QueryConfig,
    private readonly preamble: string[],
  ) {
    super({ ...config, queryMode: 'extended' });
  }

  override prepare(connection: ProtocolConnection): void {
    this.parsedHere = !!this.name && !this.hasBeenParsed(connection);
    connection.parse({ text: PREAMBLE, name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: this.preamble });
    connection.execute({ portal: '' });
    super.prepare(connection);
  }

  override handleDataRow(message: unknown): void {
    if (!this.inPreamble) super.handleDataRow(message);
  }

  override handleCommandComplete(message: unknown, connection: ProtocolConnection): void {
    if (this.inPreamble) this.inPreamble = false;
    else super.handleCommandComplete(message, connection);
  }

  override handleError(error: Error, connection: ProtocolConnection): void {
    // The preamble's ParseComplete made pg record this statement's name as parsed. Only when the
    // statement's own Parse did not complete is it unknown to the server, to be parsed again next time;
    // when its Parse completed and a later step failed (a constraint, a timeout), it stays prepared on
    // the server, and parsing it again would fail with "prepared statement … already exists".
    if (this.parsedHere && this.name && this.parseCompletes < 2) delete connection.parsedStatements[this.name];
    super.handleError(error, connection);
  }
}

/**
 * A pg client for request work. Every statement it sends outside a transaction, and the first one of
 * every transaction, carries the role and the tenant of the current scope (tenant-scope.ts) as
 * transaction-local settings in the same exchange, so without an extra round trip (TenantStatement).
 * The tenant of a transaction is the scope's when BEGIN was sent. `SET TRANSACTION` right after BEGIN
 * (Prisma's isolation level) goes first as it must. Outside a tenant scope the tenant is '' and
 * row-level security shows no row and accepts no write.
 *
 * The role is set too, not only by the connection's startup options: embedded PostgreSQL (PGlite) has
 * one session behind every connection, shared with the owner's pool, so nothing may stay set on it.
 */
export class TenantClient extends pg.Client {
  /** The tenant of the transaction just begun, until its first statement carries it. */
  private pendingTenant: string | null = null;

  // The overloads of pg's query() are not worth repeating: this forwards whatever it was given.
  override query(config: any, values?: any, callback?: any): any {
    if (config == null || typeof config.submit === 'function') return super.query(config, values, callback);
    const query: QueryConfig = typeof config === 'string' ? { text: config } : { ...config };
    if (Array.isArray(values)) query.values = values;
    const done: Callback | undefined = typeof values === 'function' ? values : callback;
    // null until the first ReadyForQuery has been read: a new connection, idle.
    const status = this.getTransactionStatus() ?? 'I';
    let tenantId: string;
    if (ENDS_TRANSACTION.test(query.text)) {
      this.pendingTenant = null;
      return this.send(query, undefined, done);
    } else if (status === 'I' && OPENS_TRANSACTION.test(query.text)) {
      this.pendingTenant = currentTenantId();
      return this.send(query, undefined, done);
    } else if (status === 'I') {
      tenantId = currentTenantId();
    } else if (status === 'T' && this.pendingTenant !== null && !SETS_TRANSACTION.test(query.text)) {
      tenantId = this.pendingTenant;
      this.pendingTenant = null;
    } else {
      return this.send(query, undefined, done);
    }
    const statement = new TenantStatement(query, [APP_ROLE, tenantId]);
    if (done) {
      statement.callback = done;
      this.send(statement);
      return undefined;
    }
    return new Promise((resolve, reject) => {
      statement.callback = (error, result) => (error ? reject(error) : resolve(result));
      this.send(statement);
    });
  }

  /** pg's handler of ParseComplete (not in its type definitions), counted for TenantStatement.handleError. */
  _handleParseComplete(): void {
    const active = (this as unknown as { _getActiveQuery(): unknown })._getActiveQuery();
    if (active instanceof TenantStatement) active.parseCompletes++;
    (pg.Client.prototype as unknown as { _handleParseComplete(this: pg.Client): void })._handleParseComplete.call(this);
  }

  private send(...args: unknown[]): any {
    return (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}
