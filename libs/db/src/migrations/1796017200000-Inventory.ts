import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Stocktaking (盘点): a session per branch and shelf range, the barcodes scanned into it in order (seq
 * unique per session, taken from the session row's counter), and the copies it marked missing (once each).
 */
export class Inventory1796017200000 implements MigrationInterface {
    name = 'Inventory1796017200000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "inventory_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "branch_id" uuid NOT NULL, "call_number_from" character varying(64), "call_number_to" character varying(64), "shelving_location" character varying(64), "started_by" uuid, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "scan_count" integer NOT NULL DEFAULT '0', "missing_marked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "inventory_session_range_check" CHECK (call_number_from IS NOT NULL OR call_number_to IS NOT NULL OR shelving_location IS NOT NULL), CONSTRAINT "PK_33fb9f2e5668383b53e282c5ffc" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "inventory_session_branch_idx" ON "inventory_session" ("branch_id", "started_at") `);
        await queryRunner.query(`CREATE TABLE "inventory_scan" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "seq" integer NOT NULL, "barcode" character varying(32) NOT NULL, "scanned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "found" boolean NOT NULL DEFAULT false, CONSTRAINT "inventory_scan_seq_check" CHECK (seq > 0), CONSTRAINT "PK_a37136a160f11a0a06c5351f470" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "inventory_scan_barcode_idx" ON "inventory_scan" ("session_id", "barcode") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "inventory_scan_seq_key" ON "inventory_scan" ("session_id", "seq") `);
        await queryRunner.query(`CREATE TABLE "inventory_missing" ("session_id" uuid NOT NULL, "item_id" uuid NOT NULL, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e643babd0e980cfd1b099a21230" PRIMARY KEY ("session_id", "item_id"))`);
        await queryRunner.query(`ALTER TABLE "inventory_session" ADD CONSTRAINT "FK_3c0cb1cd7a40bb48a577d6dca74" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "inventory_scan" ADD CONSTRAINT "FK_5e426c947f01c39a9f83d426ba4" FOREIGN KEY ("session_id") REFERENCES "inventory_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "inventory_missing" ADD CONSTRAINT "FK_13988249e09e290fcf267ed80d5" FOREIGN KEY ("session_id") REFERENCES "inventory_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "inventory_missing" ADD CONSTRAINT "FK_e95b4f6f40b11b2a8e0ed6f6bc6" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "inventory_missing" DROP CONSTRAINT "FK_e95b4f6f40b11b2a8e0ed6f6bc6"`);
        await queryRunner.query(`ALTER TABLE "inventory_missing" DROP CONSTRAINT "FK_13988249e09e290fcf267ed80d5"`);
        await queryRunner.query(`ALTER TABLE "inventory_scan" DROP CONSTRAINT "FK_5e426c947f01c39a9f83d426ba4"`);
        await queryRunner.query(`ALTER TABLE "inventory_session" DROP CONSTRAINT "FK_3c0cb1cd7a40bb48a577d6dca74"`);
        await queryRunner.query(`DROP TABLE "inventory_missing"`);
        await queryRunner.query(`DROP INDEX "public"."inventory_scan_seq_key"`);
        await queryRunner.query(`DROP INDEX "public"."inventory_scan_barcode_idx"`);
        await queryRunner.query(`DROP TABLE "inventory_scan"`);
        await queryRunner.query(`DROP INDEX "public"."inventory_session_branch_idx"`);
        await queryRunner.query(`DROP TABLE "inventory_session"`);
    }

}
