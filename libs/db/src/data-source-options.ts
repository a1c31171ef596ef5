import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { MIGRATIONS } from './migrations';
import { resilientPgDriver } from './database-unavailable';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EntityList = MixedList<Function | string | EntitySchema<any>>;

export interface DataSourceTuning {
  /**
   * Longest a statement may run on the server (statement_timeout), in ms; 0 for none. The apps serve
   * requests and short jobs; the migrations and the rollup rebuild may run long and pass 0.
   */
  statementTimeoutMs?: number;
}

const envMs = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`Invalid configuration: ${name} must be a whole number of milliseconds (got "${raw}")`);
  return value;
};

/**
 * One place that says how the platform talks to PostgreSQL. `synchronize` is never on.
 *
 * Bounded waits, so a request answers within seconds while the database is down or restarting rather
 * than hanging: a new connection within DB_CONNECT_TIMEOUT_MS (10 s: on a busy 2-core machine 3 s was reached by healthy connects), a free one from a busy pool within
 * DB_POOL_WAIT_MS (30 s: a flash registration queues thousands of requests on 20 connections), a statement
 * within DB_STATEMENT_TIMEOUT_MS (30 s, enforced by the server), and an answer to any query within
 * that plus 5 s (enforced by the client, for a server that stopped answering without closing the socket).
 * A failure of any of these is a `DatabaseUnreachableError` or a connection SQLSTATE, which the apps
 * answer with 503 + Retry-After (see `databaseUnavailableReason`).
 */
export function buildDataSourceOptions(url: string, entities: EntityList, tuning: DataSourceTuning = {}): DataSourceOptions {
  const connectTimeout = envMs('DB_CONNECT_TIMEOUT_MS', 10_000);
  const poolWait = envMs('DB_POOL_WAIT_MS', 30_000);
  const idleInTransaction = envMs('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000);
  const statementTimeout = tuning.statementTimeoutMs ?? envMs('DB_STATEMENT_TIMEOUT_MS', 30_000);
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension needed.
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    driver: resilientPgDriver,
    extra: {
      max: Number(process.env.DB_POOL_SIZE ?? 20),
      application_name: 'culture-platform',
      // pg's pool applies connectionTimeoutMillis to the wait for a free connection; the client opens one
      // within connectTimeoutMs (see WatchedClient).
      connectionTimeoutMillis: poolWait,
      connectTimeoutMs: connectTimeout,
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout, queryTimeoutMs: statementTimeout + 5000 } : {}),
      // A transaction left open by a stuck client does not hold its locks for ever.
      ...(idleInTransaction > 0 ? { idle_in_transaction_session_timeout: idleInTransaction } : {}),
      keepAlive: true,
    },
  };
}
