export { buildDataSourceOptions } from './data-source-options';
export type { EntityList } from './data-source-options';
export { PgErrorCode, pgErrorOf, isPgError } from './pg-errors';
export type { PgErrorInfo } from './pg-errors';
export { runMigrationsLocked } from './migrate';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresHandle } from './embedded-postgres';
export { PageQuery, pageWindow } from './paging';
export type { Page } from './paging';
