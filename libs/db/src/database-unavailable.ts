import pg from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * The one place that decides "the database cannot be reached" (a 503 and a retry, not a 500): by error
 * code or error class, never by message text. pg raises some connection failures as plain `Error`s with
 * only a message (pool wait timed out, connect timed out, connection terminated), so the pool and client
 * below (`resilientPgDriver`) turn every failure to connect, and every query failure on a connection
 * that was lost, into a `DatabaseUnreachableError` with a reason code.
 */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
  constructor(
    /** CONNECT (connecting failed or timed out, pool wait included), CONNECTION_LOST, QUERY_TIMEOUT. */
    readonly reason: 'CONNECT' | 'CONNECTION_LOST' | 'QUERY_TIMEOUT',
    override readonly cause?: unknown,
  ) {
    super(`database unreachable (${reason})`);
  }
}

/** Socket-level failures (Node error codes) that mean the server is not there or went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/**
 * SQLSTATEs of a server that is stopping, starting or refusing connections: class 08 (connection
 * exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 57P05
 * idle_session_timeout, 53300 too_many_connections, 57014 query_canceled (statement_timeout: the server is
 * too busy to answer within the bound).
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '57P05', '53300', '57014']);

/** The reason code when `error` (or what it wraps) says the database is unreachable; undefined otherwise. */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof DatabaseUnreachableError) return e.reason;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return code;
    }
    e = e instanceof QueryFailedError ? e.driverError : (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const isSqlState = (e: unknown) => typeof (e as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);

/**
 * A client that knows when its connection was lost (so a code-less "terminated" error can be told from
 * a query's own failure), bounds each query by `queryTimeoutMs` (it drops the connection then, which the
 * pool replaces), and never crashes the process with an `error` event while it is checked out of the pool.
 */
class WatchedClient extends pg.Client {
  private lost: DatabaseUnreachableError['reason'] | null = null;
  private readonly queryTimeoutMs: number;

  constructor(config: pg.ClientConfig & { queryTimeoutMs?: number; connectTimeoutMs?: number }) {
    // The pool hands its own options to each client; its connectionTimeoutMillis is how long a request may
    // wait for a free connection under load, while opening a connection has the shorter connectTimeoutMs.
    const { queryTimeoutMs, connectTimeoutMs, ...rest } = config;
    super(connectTimeoutMs === undefined ? rest : { ...rest, connectionTimeoutMillis: connectTimeoutMs });
    this.queryTimeoutMs = queryTimeoutMs ?? 0;
    // Registered before pg's own listeners (those come with connect()), so `lost` is set when pg fails the queries.
    const connection = (this as unknown as { connection: NodeJS.EventEmitter }).connection;
    connection.once('end', () => (this.lost ??= 'CONNECTION_LOST'));
    connection.on('error', () => (this.lost ??= 'CONNECTION_LOST'));
    // pg emits `error` on a client whose server went away (a FATAL 57P01 between two queries of a
    // transaction, before the socket closes); the pool listens only while the client is idle, so an
    // unheard one would crash the process. The next query then fails "not queryable", without a code.
    this.on('error', () => (this.lost ??= 'CONNECTION_LOST'));
  }

  /** Set by the pool while the client is lent out. */
  checkedOut = false;

  /**
   * While lent out, a lost connection is not announced by an `error` event: TypeORM would release the
   * transaction's query runner on it, and the transaction's next statement would fail with
   * QueryRunnerProviderAlreadyReleasedError (a 500) instead of this client's "connection lost" (a 503).
   * The pool drops the client when it comes back not queryable.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override emit(event: string | symbol, ...args: any[]): boolean {
    if (event === 'error' && this.checkedOut) {
      this.lost ??= 'CONNECTION_LOST';
      return true;
    }
    return super.emit(event, ...args);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as (...a: any[]) => any)(...args);
    if (!result || typeof result.then !== 'function') return result;
    let timer: NodeJS.Timeout | undefined;
    if (this.queryTimeoutMs > 0) {
      timer = setTimeout(() => {
        this.lost ??= 'QUERY_TIMEOUT';
        (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      }, this.queryTimeoutMs);
    }
    return (result as Promise<unknown>).then(
      (value) => {
        clearTimeout(timer);
        return value;
      },
      (error: unknown) => {
        clearTimeout(timer);
        throw this.lost && !isSqlState(error) ? new DatabaseUnreachableError(this.lost, error) : error;
      },
    );
  }
}

/** A pool whose every failure to hand out a connection is a `DatabaseUnreachableError('CONNECT')`. */
class ResilientPool extends pg.Pool {
  constructor(options: pg.PoolConfig & { queryTimeoutMs?: number }) {
    super({ ...options, Client: WatchedClient as unknown as typeof pg.Client });
    this.on('acquire', (client) => ((client as unknown as WatchedClient).checkedOut = true));
    this.on('release', (_err, client) => ((client as unknown as WatchedClient).checkedOut = false));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(callback?: any): any {
    const wrap = (err: unknown) => (err instanceof DatabaseUnreachableError ? err : new DatabaseUnreachableError('CONNECT', err));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (!callback) return (super.connect() as Promise<any>).catch((err: unknown) => Promise.reject(wrap(err)));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (super.connect as any)((err: Error | undefined, ...rest: unknown[]) => (callback as (...a: unknown[]) => void)(err ? wrap(err) : undefined, ...rest));
  }
}

/** The `pg` module as TypeORM loads it (`driver` option), with the pool above. */
export const resilientPgDriver = { ...pg, Pool: ResilientPool };
