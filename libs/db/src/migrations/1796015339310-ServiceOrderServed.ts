import { MigrationInterface, QueryRunner } from "typeorm";

export class ServiceOrderServed1796015339310 implements MigrationInterface {
    name = 'ServiceOrderServed1796015339310'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Residents the operator named as served at a delivery (home visits, book deliveries): they may rate it once.
        await queryRunner.query(`CREATE TABLE "service_order_served" ("order_id" uuid NOT NULL, "patron_id" uuid NOT NULL, CONSTRAINT "PK_b69fef3563c7f0ab0b4b909a760" PRIMARY KEY ("order_id", "patron_id"))`);
        await queryRunner.query(`CREATE INDEX "service_order_served_patron_idx" ON "service_order_served" ("patron_id") `);
        await queryRunner.query(`ALTER TABLE "service_order_served" ADD CONSTRAINT "FK_7c1291a6785ac9405e07444e9c5" FOREIGN KEY ("order_id") REFERENCES "service_order"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_order_served" ADD CONSTRAINT "FK_918faf65336365239c3d087ec88" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "service_order_served" DROP CONSTRAINT "FK_918faf65336365239c3d087ec88"`);
        await queryRunner.query(`ALTER TABLE "service_order_served" DROP CONSTRAINT "FK_7c1291a6785ac9405e07444e9c5"`);
        await queryRunner.query(`DROP INDEX "public"."service_order_served_patron_idx"`);
        await queryRunner.query(`DROP TABLE "service_order_served"`);
    }

}
