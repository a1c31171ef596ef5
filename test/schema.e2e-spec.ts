import { DataSource } from 'typeorm';
import { buildDataSourceOptions, MIGRATIONS } from '@lib/db';

import { ALL_ENTITIES } from '@lib/schema';
import { migrate } from '@lib/schema';
import { databaseUrl, templateName, withAdminClient } from './setup/test-database';

describe('schema', () => {
  const name = `culture_test_${process.env.E2E_RUN_ID}_schema`;
  let dataSource: DataSource;

  beforeAll(async () => {
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(process.env.E2E_RUN_ID!)}`));
    dataSource = new DataSource(buildDataSourceOptions(databaseUrl(name), ALL_ENTITIES));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('has entities and migrations that agree (no pending schema change)', async () => {
    const diff = await dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('never synchronises the schema from entities', () => {
    expect(dataSource.options.synchronize).toBe(false);
    expect(dataSource.options.migrationsRun).toBe(false);
  });

  it('finds nothing left to migrate, and migrating again is a no-op', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await migrate(databaseUrl(name))).toEqual([]);
  });

  it('migrates all the way down and up again cleanly', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    const tables: Array<{ n: number }> = await dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`,
    );
    expect(tables[0].n).toBe(0);
    await dataSource.runMigrations();
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});
