export { buildDataSourceOptions, EntityList } from './data-source-options';
export { PgErrorCode, pgErrorOf, isPgError, PgErrorInfo } from './pg-errors';
export { runMigrationsLocked } from './migrate';
export { startEmbeddedPostgres, EmbeddedPostgresHandle } from './embedded-postgres';
