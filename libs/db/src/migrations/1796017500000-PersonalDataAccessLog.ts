import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PIPL: who among the staff read or changed a resident's personal data, when, what and from where. The log
 * is append-only in the database itself: a trigger refuses every UPDATE and TRUNCATE, and every DELETE except
 * the retention purge's, which names its cutoff in the transaction-local setting
 * `culture.personal_data_purge_before` and may only remove rows older than that cutoff, itself at least
 * 30 days back (so no setting can make the purge erase last week's reads).
 */
export class PersonalDataAccessLog1796017500000 implements MigrationInterface {
    name = 'PersonalDataAccessLog1796017500000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "personal_data_access" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "patron_id" uuid NOT NULL, "operation" character varying(8) NOT NULL, "action" character varying(40) NOT NULL, "fields" text array NOT NULL, "ip" character varying(64), "user_agent" character varying(500), CONSTRAINT "personal_data_access_operation_check" CHECK (operation IN ('read', 'change')), CONSTRAINT "PK_personal_data_access" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "personal_data_access_patron_at_idx" ON "personal_data_access" ("patron_id", "at") `);
        await queryRunner.query(`CREATE INDEX "personal_data_access_staff_at_idx" ON "personal_data_access" ("staff_id", "at") `);
        await queryRunner.query(`CREATE INDEX "personal_data_access_at_idx" ON "personal_data_access" ("at") `);
        await queryRunner.query(`CREATE FUNCTION personal_data_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
          DECLARE
            cutoff timestamptz := NULLIF(current_setting('culture.personal_data_purge_before', true), '')::timestamptz;
          BEGIN
            IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <= now() - interval '30 days' AND OLD.at < cutoff THEN
              RETURN OLD;
            END IF;
            RAISE EXCEPTION 'personal_data_access is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
          END $fn$`);
        await queryRunner.query(`CREATE TRIGGER personal_data_access_no_change BEFORE UPDATE OR DELETE ON personal_data_access FOR EACH ROW EXECUTE FUNCTION personal_data_access_append_only()`);
        await queryRunner.query(`CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON personal_data_access FOR EACH STATEMENT EXECUTE FUNCTION personal_data_access_append_only()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER personal_data_access_no_truncate ON personal_data_access`);
        await queryRunner.query(`DROP TRIGGER personal_data_access_no_change ON personal_data_access`);
        await queryRunner.query(`DROP FUNCTION personal_data_access_append_only()`);
        await queryRunner.query(`DROP TABLE "personal_data_access"`);
    }

}
