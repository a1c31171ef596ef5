import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A resident may close their account (PIPL): the patron row stays, so fines, payments and the anonymous
 * usage log keep their references, but its personal fields are erased (phone and its fingerprint become
 * NULL, so the number can register again) and `closed_at` is set; the card in use ends as `closed`.
 */
export class AccountClosure1796017550000 implements MigrationInterface {
    name = 'AccountClosure1796017550000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "patron" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "patron" ALTER COLUMN "phone_fingerprint" DROP NOT NULL`);
        await queryRunner.query(`ALTER TABLE "patron" ALTER COLUMN "phone_encrypted" DROP NOT NULL`);
        await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "card_status_check"`);
        await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "card_status_check" CHECK (status IN ('active', 'suspended', 'lost', 'closed'))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "card_status_check"`);
        await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "card_status_check" CHECK (status IN ('active', 'suspended', 'lost'))`);
        await queryRunner.query(`ALTER TABLE "patron" ALTER COLUMN "phone_encrypted" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "patron" ALTER COLUMN "phone_fingerprint" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "patron" DROP COLUMN "closed_at"`);
    }

}
