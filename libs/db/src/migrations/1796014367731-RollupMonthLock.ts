import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Lets a recent window of the usage rollups be rebuilt while events keep arriving. Every event now takes a
 * shared advisory lock on its rollup month (key: ROLLUP_MONTH_LOCK in libs/stats/src/rollup-sql.ts) before
 * it adds itself; the windowed rebuild takes that lock exclusively, so it waits for the writers of that month
 * already under way and holds back new ones for the few rows it recomputes — never the whole log.
 * The index on occurred_at lets it read only the window's events.
 */
export class RollupMonthLock1796014367731 implements MigrationInterface {
    name = 'RollupMonthLock1796014367731'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "usage_event_time_idx" ON "usage_event" ("occurred_at") `);
        await queryRunner.query(`
          CREATE OR REPLACE FUNCTION usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
          DECLARE
            v_day date := (NEW.occurred_at AT TIME ZONE coalesce((SELECT b.time_zone FROM branch b WHERE b.id = NEW.branch_id), 'Asia/Shanghai'))::date;
            v_category varchar := left(coalesce(NEW.attributes->>'category', NEW.item_type, ''), 32);
            v_provider varchar := left(coalesce(NEW.attributes->>'providerKind', ''), 32);
            v_audience bigint := CASE WHEN jsonb_typeof(NEW.attributes->'audience') = 'number' THEN (NEW.attributes->>'audience')::numeric::bigint ELSE 0 END;
            v_shard smallint := pg_backend_pid() % 4;
          BEGIN
            PERFORM pg_advisory_xact_lock_shared(hashtextextended('usage_rollup:' || to_char(v_day, 'YYYY-MM'), 0));
            INSERT INTO usage_daily AS d (day, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
            VALUES (v_day, NEW.kind, NEW.branch_id, NEW.region_id, v_category, v_provider, v_shard, 1, NEW.quantity, v_audience)
            ON CONFLICT (day, kind, branch_id, region_id, category, provider_kind, shard)
            DO UPDATE SET events = d.events + 1, quantity = d.quantity + EXCLUDED.quantity, audience = d.audience + EXCLUDED.audience;
            INSERT INTO usage_monthly AS m (month, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
            VALUES (date_trunc('month', v_day)::date, NEW.kind, NEW.branch_id, NEW.region_id, v_category, v_provider, v_shard, 1, NEW.quantity, v_audience)
            ON CONFLICT (month, kind, branch_id, region_id, category, provider_kind, shard)
            DO UPDATE SET events = m.events + 1, quantity = m.quantity + EXCLUDED.quantity, audience = m.audience + EXCLUDED.audience;
            RETURN NULL;
          END
          $fn$`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
          CREATE OR REPLACE FUNCTION usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
          DECLARE
            v_day date := (NEW.occurred_at AT TIME ZONE coalesce((SELECT b.time_zone FROM branch b WHERE b.id = NEW.branch_id), 'Asia/Shanghai'))::date;
            v_category varchar := left(coalesce(NEW.attributes->>'category', NEW.item_type, ''), 32);
            v_provider varchar := left(coalesce(NEW.attributes->>'providerKind', ''), 32);
            v_audience bigint := CASE WHEN jsonb_typeof(NEW.attributes->'audience') = 'number' THEN (NEW.attributes->>'audience')::numeric::bigint ELSE 0 END;
            v_shard smallint := pg_backend_pid() % 4;
          BEGIN
            INSERT INTO usage_daily AS d (day, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
            VALUES (v_day, NEW.kind, NEW.branch_id, NEW.region_id, v_category, v_provider, v_shard, 1, NEW.quantity, v_audience)
            ON CONFLICT (day, kind, branch_id, region_id, category, provider_kind, shard)
            DO UPDATE SET events = d.events + 1, quantity = d.quantity + EXCLUDED.quantity, audience = d.audience + EXCLUDED.audience;
            INSERT INTO usage_monthly AS m (month, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
            VALUES (date_trunc('month', v_day)::date, NEW.kind, NEW.branch_id, NEW.region_id, v_category, v_provider, v_shard, 1, NEW.quantity, v_audience)
            ON CONFLICT (month, kind, branch_id, region_id, category, provider_kind, shard)
            DO UPDATE SET events = m.events + 1, quantity = m.quantity + EXCLUDED.quantity, audience = m.audience + EXCLUDED.audience;
            RETURN NULL;
          END
          $fn$`);
        await queryRunner.query(`DROP INDEX "public"."usage_event_time_idx"`);
    }

}
