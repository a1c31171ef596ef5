import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Fines can be paid (cash at the desk, online, at a kiosk) and waived, in part or whole: a fine keeps
 * what was paid and waived of it, a check keeps that within its amount, and each payment has a receipt
 * numbered from a sequence. Every charge, payment and waiver is a row of `fine_event`, append-only like
 * the usage log; charges are written by a trigger on `fine`, so no way of charging can skip the trail.
 * Overdue days count the branch's open days unless a policy rule says calendar days.
 */
export class FinePayments1796017000000 implements MigrationInterface {
    name = 'FinePayments1796017000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "payment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "receipt_number" character varying(20) NOT NULL, "patron_id" uuid NOT NULL, "amount" numeric(8,2) NOT NULL, "method" character varying(8) NOT NULL, "provider_reference" character varying(100), "staff_id" uuid, "branch_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payment_method_check" CHECK (method IN ('cash', 'online', 'sip2')), CONSTRAINT "payment_amount_check" CHECK (amount > 0), CONSTRAINT "PK_fcaec7df5adf9cac408c686b2ab" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "payment_receipt_number_key" ON "payment" ("receipt_number") `);
        await queryRunner.query(`CREATE INDEX "payment_patron_id_idx" ON "payment" ("patron_id") `);
        await queryRunner.query(`CREATE TABLE "fine_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "fine_id" uuid NOT NULL, "patron_id" uuid NOT NULL, "kind" character varying(8) NOT NULL, "amount" numeric(8,2) NOT NULL, "reason" character varying(200), "actor_id" uuid, "branch_id" uuid, "payment_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "fine_event_amount_check" CHECK (amount > 0), CONSTRAINT "fine_event_kind_check" CHECK (kind IN ('charged', 'paid', 'waived')), CONSTRAINT "PK_d90dfa5de6b78488722ca87beed" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "fine_event_patron_idx" ON "fine_event" ("patron_id") `);
        await queryRunner.query(`CREATE INDEX "fine_event_payment_idx" ON "fine_event" ("payment_id") `);
        await queryRunner.query(`CREATE INDEX "fine_event_fine_idx" ON "fine_event" ("fine_id", "at") `);
        await queryRunner.query(`ALTER TABLE "circulation_policy" ADD "overdue_days" character varying(8) NOT NULL DEFAULT 'open'`);
        await queryRunner.query(`ALTER TABLE "fine" ADD "paid" numeric(8,2) NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "fine" ADD "waived" numeric(8,2) NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "fine" ADD "branch_id" uuid`);
        await queryRunner.query(`ALTER TABLE "circulation_policy" ADD CONSTRAINT "circulation_policy_overdue_days_check" CHECK (overdue_days IN ('open', 'calendar'))`);
        await queryRunner.query(`ALTER TABLE "fine" ADD CONSTRAINT "fine_settled_check" CHECK (paid >= 0 AND waived >= 0 AND paid + waived <= amount)`);
        await queryRunner.query(`ALTER TABLE "fine" ADD CONSTRAINT "FK_893eb892df7c21e331b10e12502" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "payment" ADD CONSTRAINT "FK_3dd19b240fcb0c1a4e5a07d14f8" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "payment" ADD CONSTRAINT "FK_2c462ff83e2ae67f603719ddb14" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        // Nothing could pay a fine before; a fine marked paid all the same is settled in full.
        await queryRunner.query(`UPDATE "fine" SET "paid" = "amount" WHERE "paid_at" IS NOT NULL`);
        await queryRunner.query(`CREATE SEQUENCE "payment_receipt_seq" AS integer`);
        await queryRunner.query(`CREATE FUNCTION fine_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
          BEGIN
            RAISE EXCEPTION 'fine_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
          END $fn$`);
        await queryRunner.query(`CREATE TRIGGER fine_event_no_change BEFORE UPDATE OR DELETE ON fine_event FOR EACH ROW EXECUTE FUNCTION fine_event_append_only()`);
        await queryRunner.query(`CREATE TRIGGER fine_event_no_truncate BEFORE TRUNCATE ON fine_event FOR EACH STATEMENT EXECUTE FUNCTION fine_event_append_only()`);
        await queryRunner.query(`CREATE FUNCTION fine_charged_event() RETURNS trigger LANGUAGE plpgsql AS $fn$
          BEGIN
            INSERT INTO fine_event (fine_id, patron_id, kind, amount, reason, branch_id, at)
              VALUES (NEW.id, NEW.patron_id, 'charged', NEW.amount, NEW.reason, NEW.branch_id, NEW.created_at);
            RETURN NULL;
          END $fn$`);
        await queryRunner.query(`CREATE TRIGGER fine_charged AFTER INSERT ON fine FOR EACH ROW EXECUTE FUNCTION fine_charged_event()`);
        // The fines charged so far get their charge in the trail.
        await queryRunner.query(`INSERT INTO fine_event (fine_id, patron_id, kind, amount, reason, branch_id, at) SELECT id, patron_id, 'charged', amount, reason, branch_id, created_at FROM fine`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER fine_charged ON fine`);
        await queryRunner.query(`DROP FUNCTION fine_charged_event()`);
        await queryRunner.query(`DROP TRIGGER fine_event_no_truncate ON fine_event`);
        await queryRunner.query(`DROP TRIGGER fine_event_no_change ON fine_event`);
        await queryRunner.query(`DROP FUNCTION fine_event_append_only()`);
        await queryRunner.query(`DROP SEQUENCE "payment_receipt_seq"`);
        await queryRunner.query(`ALTER TABLE "payment" DROP CONSTRAINT "FK_2c462ff83e2ae67f603719ddb14"`);
        await queryRunner.query(`ALTER TABLE "payment" DROP CONSTRAINT "FK_3dd19b240fcb0c1a4e5a07d14f8"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP CONSTRAINT "FK_893eb892df7c21e331b10e12502"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP CONSTRAINT "fine_settled_check"`);
        await queryRunner.query(`ALTER TABLE "circulation_policy" DROP CONSTRAINT "circulation_policy_overdue_days_check"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP COLUMN "branch_id"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP COLUMN "waived"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP COLUMN "paid"`);
        await queryRunner.query(`ALTER TABLE "circulation_policy" DROP COLUMN "overdue_days"`);
        await queryRunner.query(`DROP INDEX "public"."fine_event_fine_idx"`);
        await queryRunner.query(`DROP INDEX "public"."fine_event_payment_idx"`);
        await queryRunner.query(`DROP INDEX "public"."fine_event_patron_idx"`);
        await queryRunner.query(`DROP TABLE "fine_event"`);
        await queryRunner.query(`DROP INDEX "public"."payment_patron_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."payment_receipt_number_key"`);
        await queryRunner.query(`DROP TABLE "payment"`);
    }

}
