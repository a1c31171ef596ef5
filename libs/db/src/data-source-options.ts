import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { MIGRATIONS } from './migrations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EntityList = MixedList<Function | string | EntitySchema<any>>;

/** One place that says how the platform talks to PostgreSQL. `synchronize` is never on. */
export function buildDataSourceOptions(url: string, entities: EntityList): DataSourceOptions {
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
    extra: { max: Number(process.env.DB_POOL_SIZE ?? 20), application_name: 'culture-platform' },
  };
}
