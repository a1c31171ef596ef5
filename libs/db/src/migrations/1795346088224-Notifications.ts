import { MigrationInterface, QueryRunner } from "typeorm";

export class Notifications1795346088224 implements MigrationInterface {
    name = 'Notifications1795346088224'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient_kind" character varying(8) NOT NULL, "recipient_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "notification_recipient_kind_check" CHECK (recipient_kind IN ('patron', 'staff')), CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "notification_inbox_idx" ON "notification" ("recipient_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."notification_inbox_idx"`);
        await queryRunner.query(`DROP TABLE "notification"`);
    }

}
