import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The mobile library's route: stops (each in the community it serves) and their visits, which never
 * overlap for one van (exclusion constraint); a hold may be picked up at a stop, held to the stop's own
 * branch by a foreign key on (stop, branch).
 */
export class MobileStops1796017400000 implements MigrationInterface {
    name = 'MobileStops1796017400000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "mobile_stop" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "branch_id" uuid NOT NULL, "region_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "place" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "mobile_stop_id_branch_key" UNIQUE ("id", "branch_id"), CONSTRAINT "PK_1f4c1ae66eb0e57d7205b1c1d65" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "mobile_stop_branch_id_idx" ON "mobile_stop" ("branch_id") `);
        await queryRunner.query(`CREATE INDEX "mobile_stop_region_id_idx" ON "mobile_stop" ("region_id") `);
        await queryRunner.query(`CREATE TABLE "mobile_stop_visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "stop_id" uuid NOT NULL, "branch_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "mobile_stop_visit_order_check" CHECK (starts_at < ends_at), CONSTRAINT "mobile_stop_visit_no_overlap" EXCLUDE USING gist ("branch_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&), CONSTRAINT "PK_df0f51ab75d59179b8663f2d104" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "mobile_stop_visit_stop_starts_idx" ON "mobile_stop_visit" ("stop_id", "starts_at") `);
        await queryRunner.query(`ALTER TABLE "hold" ADD "pickup_stop_id" uuid`);
        await queryRunner.query(`CREATE INDEX "hold_pickup_stop_idx" ON "hold" ("pickup_stop_id") WHERE pickup_stop_id IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "mobile_stop" ADD CONSTRAINT "FK_dd8d073d6c38252f57e1a295ace" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "mobile_stop" ADD CONSTRAINT "FK_01d312777754be594d727ecde6d" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "mobile_stop_visit" ADD CONSTRAINT "FK_e617b2d856c5359e6cd24976ef1" FOREIGN KEY ("stop_id", "branch_id") REFERENCES "mobile_stop"("id","branch_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "hold" ADD CONSTRAINT "FK_7814ceb44372de2e7ec434c172f" FOREIGN KEY ("pickup_stop_id", "pickup_branch_id") REFERENCES "mobile_stop"("id","branch_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "hold" DROP CONSTRAINT "FK_7814ceb44372de2e7ec434c172f"`);
        await queryRunner.query(`ALTER TABLE "mobile_stop_visit" DROP CONSTRAINT "FK_e617b2d856c5359e6cd24976ef1"`);
        await queryRunner.query(`ALTER TABLE "mobile_stop" DROP CONSTRAINT "FK_01d312777754be594d727ecde6d"`);
        await queryRunner.query(`ALTER TABLE "mobile_stop" DROP CONSTRAINT "FK_dd8d073d6c38252f57e1a295ace"`);
        await queryRunner.query(`DROP INDEX "public"."hold_pickup_stop_idx"`);
        await queryRunner.query(`ALTER TABLE "hold" DROP COLUMN "pickup_stop_id"`);
        await queryRunner.query(`DROP INDEX "public"."mobile_stop_visit_stop_starts_idx"`);
        await queryRunner.query(`DROP TABLE "mobile_stop_visit"`);
        await queryRunner.query(`DROP INDEX "public"."mobile_stop_region_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."mobile_stop_branch_id_idx"`);
        await queryRunner.query(`DROP TABLE "mobile_stop"`);
    }

}
