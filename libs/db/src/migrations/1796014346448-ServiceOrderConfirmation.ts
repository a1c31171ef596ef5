import { MigrationInterface, QueryRunner } from "typeorm";

export class ServiceOrderConfirmation1796014346448 implements MigrationInterface {
    name = 'ServiceOrderConfirmation1796014346448'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "service_order" ADD "confirmed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "service_order" ADD "confirmed_by" uuid`);
        // Steps recorded so far were state changes (a schedule from scheduled was a reschedule).
        await queryRunner.query(`ALTER TABLE "service_order_event" ADD "step" character varying(12)`);
        await queryRunner.query(`UPDATE "service_order_event" SET "step" = CASE WHEN from_status = 'scheduled' AND to_status = 'scheduled' THEN 'rescheduled' ELSE to_status END`);
        await queryRunner.query(`ALTER TABLE "service_order_event" ALTER COLUMN "step" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "service_order_event" ADD "previous_starts_at" TIMESTAMP WITH TIME ZONE`);
        // An evaluation confirms the delivery: orders evaluated before this carry it from their evaluation.
        await queryRunner.query(`UPDATE "service_order" o SET "confirmed_at" = e.at, "confirmed_by" = e.actor_id
            FROM (SELECT DISTINCT ON (order_id) order_id, at, actor_id FROM "service_order_event" WHERE to_status = 'evaluated' ORDER BY order_id, at) e
           WHERE e.order_id = o.id AND o.status = 'evaluated'`);
        await queryRunner.query(`ALTER TABLE "service_order" ADD CONSTRAINT "service_order_confirmed_check" CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL) AND (confirmed_at IS NULL OR status IN ('delivered', 'evaluated')))`);
        await queryRunner.query(`ALTER TABLE "service_order_event" ADD CONSTRAINT "service_order_event_step_check" CHECK (step IN ('submitted', 'accepted', 'declined', 'scheduled', 'delivered', 'evaluated', 'cancelled', 'rescheduled', 'confirmed'))`);
        await queryRunner.query(`ALTER TABLE "service_order" ADD CONSTRAINT "FK_124fc0240baafe89e73f1b8d7d9" FOREIGN KEY ("confirmed_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Confirmations are no state change; without the step column the code before would read them as delivered → delivered.
        await queryRunner.query(`DELETE FROM "service_order_event" WHERE "step" = 'confirmed'`);
        await queryRunner.query(`ALTER TABLE "service_order" DROP CONSTRAINT "FK_124fc0240baafe89e73f1b8d7d9"`);
        await queryRunner.query(`ALTER TABLE "service_order_event" DROP CONSTRAINT "service_order_event_step_check"`);
        await queryRunner.query(`ALTER TABLE "service_order" DROP CONSTRAINT "service_order_confirmed_check"`);
        await queryRunner.query(`ALTER TABLE "service_order_event" DROP COLUMN "previous_starts_at"`);
        await queryRunner.query(`ALTER TABLE "service_order_event" DROP COLUMN "step"`);
        await queryRunner.query(`ALTER TABLE "service_order" DROP COLUMN "confirmed_by"`);
        await queryRunner.query(`ALTER TABLE "service_order" DROP COLUMN "confirmed_at"`);
    }

}
