// The DataSource the TypeORM CLI uses to generate migrations (`npm run migration:generate`).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@lib/db';
import { ALL_ENTITIES } from '@lib/schema';

export default new DataSource(
  buildDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/culture_dev', ALL_ENTITIES),
);
