import { MigrationInterface, QueryRunner } from "typeorm";

export class LoginAttemptsInFlight1795348396579 implements MigrationInterface {
    name = 'LoginAttemptsInFlight1795348396579'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "login_throttle" ADD "pending" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "login_throttle" ADD "last_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "login_throttle" DROP COLUMN "last_attempt_at"`);
        await queryRunner.query(`ALTER TABLE "login_throttle" DROP COLUMN "pending"`);
    }

}
