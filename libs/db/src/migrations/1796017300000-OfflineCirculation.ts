import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Offline circulation: the checkouts and check-ins a desk queued while its network was down, one row
 * each, unique by the client's id so a retried upload applies nothing twice; refused ones stay as
 * conflicts (with the reason in both languages) until a librarian settles them.
 */
export class OfflineCirculation1796017300000 implements MigrationInterface {
    name = 'OfflineCirculation1796017300000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "offline_transaction" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "client_id" uuid NOT NULL, "branch_id" uuid NOT NULL, "type" character varying(16) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "card_number" character varying(32), "barcode" character varying(32) NOT NULL, "outcome" character varying(16) NOT NULL, "code" character varying(64), "message_zh" text, "message_en" text, "loan_id" uuid, "uploaded_by" uuid, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "settled_at" TIMESTAMP WITH TIME ZONE, "settled_by" uuid, "settle_note" text, CONSTRAINT "offline_transaction_settled_check" CHECK (settled_at IS NULL OR outcome = 'conflict'), CONSTRAINT "offline_transaction_outcome_check" CHECK ((outcome = 'conflict') = (code IS NOT NULL)), CONSTRAINT "offline_transaction_card_check" CHECK ((type = 'checkout') = (card_number IS NOT NULL)), CONSTRAINT "offline_transaction_type_check" CHECK (type IN ('checkout', 'checkin')), CONSTRAINT "PK_68a7dc5c60a5b8e702424e43fb1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "offline_transaction_open_conflict_idx" ON "offline_transaction" ("branch_id", "at") WHERE outcome = 'conflict' AND settled_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "offline_transaction_client_id_key" ON "offline_transaction" ("client_id") `);
        await queryRunner.query(`ALTER TABLE "offline_transaction" ADD CONSTRAINT "FK_7f0caf50ab9bf640a84de501319" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "offline_transaction" ADD CONSTRAINT "FK_b241aa1efd47e96b5c60f620c1b" FOREIGN KEY ("loan_id") REFERENCES "loan"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "offline_transaction" DROP CONSTRAINT "FK_b241aa1efd47e96b5c60f620c1b"`);
        await queryRunner.query(`ALTER TABLE "offline_transaction" DROP CONSTRAINT "FK_7f0caf50ab9bf640a84de501319"`);
        await queryRunner.query(`DROP INDEX "public"."offline_transaction_client_id_key"`);
        await queryRunner.query(`DROP INDEX "public"."offline_transaction_open_conflict_idx"`);
        await queryRunner.query(`DROP TABLE "offline_transaction"`);
    }

}
