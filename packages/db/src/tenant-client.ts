import pg from 'pg';
import { isEmbeddedDatabase } from './embedded-postgres.ts';
import { currentTenantId } from './tenant-scope.ts';

/** The role request work runs as: NOBYPASSRLS, made by each service's row-level-security migration. */
export const APP_ROLE = 'stockline_app';

/** What row-level security reads; set per transaction, never per session. */
export const TENANT_SETTING = 'app.tenant_id';

const PREAMBLE = `SELECT set_config('role', $1, true), set_config('${TENANT_SETTING}', $2, true)`;
/** The preamble's name on a connection where it is prepared once (TenantClientConfig.preparePreamble). */
export const PREAMBLE_NAME = 'stockline_tenant_preamble';
/** The server's answer to a Bind of a prepared statement it does not have (DEALLOCATE, DISCARD ALL ran). */
const NO_SUCH_STATEMENT = '26000';
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
 * A statement sent with the tenant in front of it, in one exchange: Bind/Execute of
 * `set_config(…, true)` (and its Parse, unless the connection has it prepared), then the statement's own
 * Parse/Bind/Describe/Execute, then one Sync. Messages before a Sync run in one implicit transaction, so
 * the setting holds for the statement and ends with it; the extra statement costs no round trip. Its one
 * row, its CommandComplete and its ParseComplete are not the caller's.
 */
class TenantStatement extends QueryBase {
  private inPreamble = true;
  /** The preamble was parsed in this exchange and its ParseComplete (the first one) is still to come. */
  private preambleParsePending = false;

  constructor(
    config: QueryConfig,
    private readonly preamble: string[],
    /** '' (unnamed, parsed each time) or PREAMBLE_NAME (parsed once per connection). */
    readonly preambleName: string,
  ) {
    super({ ...config, queryMode: 'extended' });
  }

  override prepare(connection: ProtocolConnection): void {
    const name = this.preambleName;
    if (!name || connection.parsedStatements[name] === undefined) {
      connection.parse({ text: PREAMBLE, name, types: [] });
      this.preambleParsePending = true;
    }
    connection.bind({ portal: '', statement: name, values: this.preamble });
    connection.execute({ portal: '' });
    super.prepare(connection);
  }

  /** Whether the ParseComplete just received is the preamble's (true once), not the statement's own. */
  takePreambleParseComplete(): boolean {
    const pending = this.preambleParsePending;
    this.preambleParsePending = false;
    return pending;
  }

  override handleDataRow(message: unknown): void {
    if (!this.inPreamble) super.handleDataRow(message);
  }

  override handleCommandComplete(message: unknown, connection: ProtocolConnection): void {
    if (this.inPreamble) this.inPreamble = false;
    else super.handleCommandComplete(message, connection);
  }

  override handleError(error: Error, connection: ProtocolConnection): void {
    // The prepared preamble is gone from the server: this statement fails, the next parses it again.
    if (this.inPreamble && this.preambleName && (error as { code?: string }).code === NO_SUCH_STATEMENT) delete connection.parsedStatements[this.preambleName];
    super.handleError(error, connection);
  }
}

export interface TenantClientConfig extends pg.ClientConfig {
  /**
   * Prepare the preamble once per connection (a named statement; later statements send only its Bind
   * and Execute) rather than parse it with every statement. Off on embedded PostgreSQL: its one session
   * behind every connection would see a second connection's Parse of the same name as a duplicate.
   * @default true, false for an embedded PostgreSQL URL
   */
  preparePreamble?: boolean;
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
  private readonly preambleName: string;

  constructor(config?: string | TenantClientConfig) {
    super(config);
    const url = typeof config === 'string' ? config : config?.connectionString;
    const prepare = (typeof config === 'object' ? config.preparePreamble : undefined) ?? !isEmbeddedDatabase(url);
    this.preambleName = prepare ? PREAMBLE_NAME : '';
  }

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
    const statement = new TenantStatement(query, [APP_ROLE, tenantId], this.preambleName);
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

  /**
   * pg's handler of ParseComplete (not in its type definitions), which records a named statement as
   * prepared on this connection. The preamble's ParseComplete is the preamble's: it must not mark the
   * caller's statement as prepared before that statement's own Parse has completed.
   */
  _handleParseComplete(): void {
    const self = this as unknown as { _getActiveQuery(): unknown; connection: ProtocolConnection };
    const active = self._getActiveQuery();
    if (active instanceof TenantStatement && active.takePreambleParseComplete()) {
      if (active.preambleName) self.connection.parsedStatements[active.preambleName] = PREAMBLE;
      return;
    }
    (pg.Client.prototype as unknown as { _handleParseComplete(this: pg.Client): void })._handleParseComplete.call(this);
  }

  private send(...args: unknown[]): any {
    return (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}
