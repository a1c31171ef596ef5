import { MigrationInterface, QueryRunner } from "typeorm";

export class ActivityApproval1795350624725 implements MigrationInterface {
    name = 'ActivityApproval1795350624725'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "activity" ADD "mode" character varying(12) NOT NULL DEFAULT 'first_come'`);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "activity_mode_check" CHECK (mode IN ('first_come', 'approval'))`);
        // By hand: TypeORM's diff does not see a changed CHECK expression or a changed partial-index WHERE.
        await queryRunner.query(`ALTER TABLE "registration" DROP CONSTRAINT "registration_status_check"`);
        await queryRunner.query(`ALTER TABLE "registration" ADD CONSTRAINT "registration_status_check" CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show'))`);
        await queryRunner.query(`DROP INDEX "registration_one_per_person_key"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "registration_one_per_person_key" ON "registration" ("session_id", "patron_id") WHERE status IN ('pending', 'confirmed', 'waitlisted', 'attended')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "registration_one_per_person_key"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "registration_one_per_person_key" ON "registration" ("session_id", "patron_id") WHERE status IN ('confirmed', 'waitlisted', 'attended')`);
        await queryRunner.query(`ALTER TABLE "registration" DROP CONSTRAINT "registration_status_check"`);
        await queryRunner.query(`ALTER TABLE "registration" ADD CONSTRAINT "registration_status_check" CHECK (status IN ('confirmed', 'waitlisted', 'cancelled', 'attended', 'no_show'))`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "activity_mode_check"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP COLUMN "mode"`);
    }

}
