import { MigrationInterface, QueryRunner } from "typeorm";

export class BookingDecidedBy1795351131817 implements MigrationInterface {
    name = 'BookingDecidedBy1795351131817'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "venue_booking" ADD "decided_by" uuid`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "venue_booking" DROP COLUMN "decided_by"`);
    }

}
