import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795343508547 implements MigrationInterface {
    name = 'Foundation1795343508547'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Card numbers: prefix + 7-digit serial + check digit. The sequence hands out serials without races.
        await queryRunner.query(`CREATE SEQUENCE "card_serial_seq" AS integer START 1 MINVALUE 1 MAXVALUE 9999999 NO CYCLE`);
        await queryRunner.query(`CREATE TABLE "patron" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(50) NOT NULL, "phone_fingerprint" character(64) NOT NULL, "phone_encrypted" text NOT NULL, "id_number_fingerprint" character(64), "id_number_encrypted" text, "category" character varying(16) NOT NULL DEFAULT 'adult', "password_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "patron_category_check" CHECK (category IN ('adult', 'child', 'senior', 'disabled', 'student')), CONSTRAINT "PK_f0d533fd059926cbd49113f0872" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "patron_phone_fingerprint_key" ON "patron" ("phone_fingerprint") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "patron_id_number_fingerprint_key" ON "patron" ("id_number_fingerprint") `);
        await queryRunner.query(`CREATE TABLE "card" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "patron_id" uuid NOT NULL, "number" character varying(20) NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'active', "status_reason" character varying(200), "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, "replaced_by_id" uuid, CONSTRAINT "card_status_check" CHECK (status IN ('active', 'suspended', 'lost')), CONSTRAINT "PK_9451069b6f1199730791a7f4ae4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "card_patron_id_idx" ON "card" ("patron_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "card_number_key" ON "card" ("number") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "card_one_in_use_per_patron_key" ON "card" ("patron_id") WHERE status IN ('active', 'suspended')`);
        await queryRunner.query(`CREATE TABLE "region" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32), "name" character varying(100) NOT NULL, "kind" character varying(16) NOT NULL, "parent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "region_district_is_root_check" CHECK ((kind = 'district') = (parent_id IS NULL)), CONSTRAINT "region_kind_check" CHECK (kind IN ('district', 'subdistrict', 'community', 'village')), CONSTRAINT "PK_5f48ffc3af96bc486f5f3f3a6da" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "region_code_key" ON "region" ("code") `);
        await queryRunner.query(`CREATE INDEX "region_parent_id_idx" ON "region" ("parent_id") `);
        await queryRunner.query(`CREATE TABLE "region_population" ("region_id" uuid NOT NULL, "year" smallint NOT NULL, "population" integer NOT NULL, CONSTRAINT "region_population_year_check" CHECK (year BETWEEN 1949 AND 2200), CONSTRAINT "region_population_nonnegative_check" CHECK (population >= 0), CONSTRAINT "PK_913b035455cca487ba8ac5cb760" PRIMARY KEY ("region_id", "year"))`);
        await queryRunner.query(`CREATE TABLE "branch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32), "name" character varying(100) NOT NULL, "kind" character varying(20) NOT NULL, "level" character varying(16) NOT NULL, "region_id" uuid NOT NULL, "parent_id" uuid, "address" character varying(200), "floor_area" numeric(10,2), "facilities" text array NOT NULL DEFAULT '{}', "shared_circulation" boolean NOT NULL DEFAULT false, "time_zone" character varying(64) NOT NULL DEFAULT 'Asia/Shanghai', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "branch_floor_area_check" CHECK (floor_area IS NULL OR floor_area >= 0), CONSTRAINT "branch_level_check" CHECK (level IN ('central', 'branch', 'service_point')), CONSTRAINT "branch_kind_check" CHECK (kind IN ('library', 'cultural_centre', 'integrated_centre', 'service_point', 'mobile')), CONSTRAINT "PK_2e39f426e2faefdaa93c5961976" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "branch_code_key" ON "branch" ("code") `);
        await queryRunner.query(`CREATE INDEX "branch_region_id_idx" ON "branch" ("region_id") `);
        await queryRunner.query(`CREATE INDEX "branch_parent_id_idx" ON "branch" ("parent_id") `);
        await queryRunner.query(`CREATE TABLE "branch_weekly_hours" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "branch_id" uuid NOT NULL, "weekday" smallint NOT NULL, "opens" TIME NOT NULL, "closes" TIME NOT NULL, CONSTRAINT "branch_weekly_hours_order_check" CHECK (opens < closes), CONSTRAINT "branch_weekly_hours_weekday_check" CHECK (weekday BETWEEN 1 AND 7), CONSTRAINT "PK_8d7fcfa37a2500da4f459e1f4df" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "branch_weekly_hours_branch_id_idx" ON "branch_weekly_hours" ("branch_id") `);
        await queryRunner.query(`CREATE TABLE "branch_calendar_exception" ("branch_id" uuid NOT NULL, "date" date NOT NULL, "intervals" jsonb NOT NULL DEFAULT '[]', "reason" character varying(200), CONSTRAINT "PK_4584352ade00dea393c7ef5ce80" PRIMARY KEY ("branch_id", "date"))`);
        await queryRunner.query(`CREATE TABLE "staff" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(32) NOT NULL, "name" character varying(50) NOT NULL, "role" character varying(16) NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "staff_role_check" CHECK (role IN ('librarian', 'operator', 'organizer', 'admin', 'kiosk', 'device')), CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "staff_username_key" ON "staff" ("username") `);
        await queryRunner.query(`CREATE TABLE "staff_branch" ("staff_id" uuid NOT NULL, "branch_id" uuid NOT NULL, CONSTRAINT "PK_d1f286ff6b00e89c2aa7fccc993" PRIMARY KEY ("staff_id", "branch_id"))`);
        await queryRunner.query(`CREATE INDEX "staff_branch_branch_id_idx" ON "staff_branch" ("branch_id") `);
        await queryRunner.query(`CREATE TABLE "staff_region" ("staff_id" uuid NOT NULL, "region_id" uuid NOT NULL, CONSTRAINT "PK_b8921ba5a06b9ba7c6a8d73bbcb" PRIMARY KEY ("staff_id", "region_id"))`);
        await queryRunner.query(`CREATE INDEX "staff_region_region_id_idx" ON "staff_region" ("region_id") `);
        await queryRunner.query(`CREATE TABLE "auth_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject_kind" character varying(8) NOT NULL, "subject_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "previous_token_hash" character(64), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rotated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "auth_session_subject_kind_check" CHECK (subject_kind IN ('patron', 'staff')), CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "auth_session_subject_idx" ON "auth_session" ("subject_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "auth_session_token_hash_key" ON "auth_session" ("token_hash") `);
        await queryRunner.query(`CREATE INDEX "auth_session_previous_token_hash_idx" ON "auth_session" ("previous_token_hash") `);
        await queryRunner.query(`CREATE TABLE "login_throttle" ("login_key" character(64) NOT NULL, "failures" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a2a5088bd959f3d1a2126122a67" PRIMARY KEY ("login_key"))`);
        await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "FK_dba81906bd199e3f7f171d1105f" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "region" ADD CONSTRAINT "FK_2547f55866c0274d35fdd9a29c0" FOREIGN KEY ("parent_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "region_population" ADD CONSTRAINT "FK_03894c13a35c75c7dc69c632227" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "branch" ADD CONSTRAINT "FK_3b64ff9b9109b8c896e97d41254" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "branch" ADD CONSTRAINT "FK_861e7d907791b8f1697e3f07d0f" FOREIGN KEY ("parent_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "branch_weekly_hours" ADD CONSTRAINT "FK_83242dd79422c5cdd273cddce02" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "branch_calendar_exception" ADD CONSTRAINT "FK_63bbf67fd1f37e66ba3feb5762f" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "staff_branch" ADD CONSTRAINT "FK_b441f74638db2fa83f1d5b34f48" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "staff_branch" ADD CONSTRAINT "FK_01041f51c5c0b8fae88561e7521" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "staff_region" ADD CONSTRAINT "FK_a840a248ea92973cfe7e3922db1" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "staff_region" ADD CONSTRAINT "FK_a4668f1d88805267f3934c90376" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP SEQUENCE "card_serial_seq"`);
        await queryRunner.query(`ALTER TABLE "staff_region" DROP CONSTRAINT "FK_a4668f1d88805267f3934c90376"`);
        await queryRunner.query(`ALTER TABLE "staff_region" DROP CONSTRAINT "FK_a840a248ea92973cfe7e3922db1"`);
        await queryRunner.query(`ALTER TABLE "staff_branch" DROP CONSTRAINT "FK_01041f51c5c0b8fae88561e7521"`);
        await queryRunner.query(`ALTER TABLE "staff_branch" DROP CONSTRAINT "FK_b441f74638db2fa83f1d5b34f48"`);
        await queryRunner.query(`ALTER TABLE "branch_calendar_exception" DROP CONSTRAINT "FK_63bbf67fd1f37e66ba3feb5762f"`);
        await queryRunner.query(`ALTER TABLE "branch_weekly_hours" DROP CONSTRAINT "FK_83242dd79422c5cdd273cddce02"`);
        await queryRunner.query(`ALTER TABLE "branch" DROP CONSTRAINT "FK_861e7d907791b8f1697e3f07d0f"`);
        await queryRunner.query(`ALTER TABLE "branch" DROP CONSTRAINT "FK_3b64ff9b9109b8c896e97d41254"`);
        await queryRunner.query(`ALTER TABLE "region_population" DROP CONSTRAINT "FK_03894c13a35c75c7dc69c632227"`);
        await queryRunner.query(`ALTER TABLE "region" DROP CONSTRAINT "FK_2547f55866c0274d35fdd9a29c0"`);
        await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "FK_dba81906bd199e3f7f171d1105f"`);
        await queryRunner.query(`DROP TABLE "login_throttle"`);
        await queryRunner.query(`DROP INDEX "public"."auth_session_previous_token_hash_idx"`);
        await queryRunner.query(`DROP INDEX "public"."auth_session_token_hash_key"`);
        await queryRunner.query(`DROP INDEX "public"."auth_session_subject_idx"`);
        await queryRunner.query(`DROP TABLE "auth_session"`);
        await queryRunner.query(`DROP INDEX "public"."staff_region_region_id_idx"`);
        await queryRunner.query(`DROP TABLE "staff_region"`);
        await queryRunner.query(`DROP INDEX "public"."staff_branch_branch_id_idx"`);
        await queryRunner.query(`DROP TABLE "staff_branch"`);
        await queryRunner.query(`DROP INDEX "public"."staff_username_key"`);
        await queryRunner.query(`DROP TABLE "staff"`);
        await queryRunner.query(`DROP TABLE "branch_calendar_exception"`);
        await queryRunner.query(`DROP INDEX "public"."branch_weekly_hours_branch_id_idx"`);
        await queryRunner.query(`DROP TABLE "branch_weekly_hours"`);
        await queryRunner.query(`DROP INDEX "public"."branch_parent_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."branch_region_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."branch_code_key"`);
        await queryRunner.query(`DROP TABLE "branch"`);
        await queryRunner.query(`DROP TABLE "region_population"`);
        await queryRunner.query(`DROP INDEX "public"."region_parent_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."region_code_key"`);
        await queryRunner.query(`DROP TABLE "region"`);
        await queryRunner.query(`DROP INDEX "public"."card_one_in_use_per_patron_key"`);
        await queryRunner.query(`DROP INDEX "public"."card_number_key"`);
        await queryRunner.query(`DROP INDEX "public"."card_patron_id_idx"`);
        await queryRunner.query(`DROP TABLE "card"`);
        await queryRunner.query(`DROP INDEX "public"."patron_id_number_fingerprint_key"`);
        await queryRunner.query(`DROP INDEX "public"."patron_phone_fingerprint_key"`);
        await queryRunner.query(`DROP TABLE "patron"`);
    }

}
