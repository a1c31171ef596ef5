import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The usage log is append-only: its rows are the record of what happened and the rollups are kept from
 * them by an insert trigger, so an edited or deleted event would silently leave the rollups (and every
 * indicator) out of step with the log. The database refuses it, whoever asks.
 */
export class UsageEventAppendOnly1795354200000 implements MigrationInterface {
    name = 'UsageEventAppendOnly1795354200000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE FUNCTION usage_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
          BEGIN
            RAISE EXCEPTION 'usage_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
          END $fn$`);
        await queryRunner.query(`CREATE TRIGGER usage_event_no_change BEFORE UPDATE OR DELETE ON usage_event FOR EACH ROW EXECUTE FUNCTION usage_event_append_only()`);
        await queryRunner.query(`CREATE TRIGGER usage_event_no_truncate BEFORE TRUNCATE ON usage_event FOR EACH STATEMENT EXECUTE FUNCTION usage_event_append_only()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER usage_event_no_truncate ON usage_event`);
        await queryRunner.query(`DROP TRIGGER usage_event_no_change ON usage_event`);
        await queryRunner.query(`DROP FUNCTION usage_event_append_only()`);
    }

}
