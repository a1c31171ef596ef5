import { MigrationInterface, QueryRunner } from "typeorm";

export class Booking1795348771928 implements MigrationInterface {
    name = 'Booking1795348771928'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "venue" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "branch_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "kind" character varying(20) NOT NULL, "capacity" integer NOT NULL, "amenities" text array NOT NULL DEFAULT '{}', "accessibility" text, "bookable_hours" jsonb, "slot_minutes" smallint NOT NULL DEFAULT '30', "min_minutes" smallint NOT NULL DEFAULT '30', "max_minutes" smallint NOT NULL DEFAULT '240', "max_days_ahead" smallint NOT NULL DEFAULT '14', "requires_approval" boolean NOT NULL DEFAULT false, "who_may_book" text array NOT NULL DEFAULT '{resident}', "max_upcoming_per_person" smallint NOT NULL DEFAULT '2', "cancel_deadline_hours" smallint NOT NULL DEFAULT '2', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "venue_limits_check" CHECK (capacity > 0 AND slot_minutes > 0 AND min_minutes > 0 AND max_minutes >= min_minutes AND max_days_ahead >= 0 AND max_upcoming_per_person >= 0), CONSTRAINT "venue_kind_check" CHECK (kind IN ('room', 'hall', 'court', 'e_reading_room', 'outdoor_square')), CONSTRAINT "PK_c53deb6d1bcb088f9d459e7dbc0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "venue_branch_id_idx" ON "venue" ("branch_id") `);
        await queryRunner.query(`CREATE TABLE "venue_booking" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "venue_id" uuid NOT NULL, "kind" character varying(10) NOT NULL DEFAULT 'booking', "patron_id" uuid, "staff_id" uuid, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(12) NOT NULL, "purpose" character varying(200), "attendees" integer NOT NULL DEFAULT '1', "decision_reason" character varying(200), "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "venue_booking_order_check" CHECK (starts_at < ends_at), CONSTRAINT "venue_booking_kind_check" CHECK (kind IN ('booking', 'block', 'activity')), CONSTRAINT "venue_booking_status_check" CHECK (status IN ('pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'rejected', 'no_show')), CONSTRAINT "PK_a59d326d8d45705c3094e064441" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "venue_booking_patron_idx" ON "venue_booking" ("patron_id", "starts_at") `);
        await queryRunner.query(`CREATE TABLE "activity" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" character varying(200) NOT NULL, "description" text, "category" character varying(20) NOT NULL, "branch_id" uuid NOT NULL, "organiser_staff_id" uuid, "age_min" smallint, "age_max" smallint, "special_groups" text array NOT NULL DEFAULT '{}', "registration_opens_at" TIMESTAMP WITH TIME ZONE, "registration_closes_at" TIMESTAMP WITH TIME ZONE, "per_person_quota" smallint NOT NULL DEFAULT '1', "series" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "activity_quota_check" CHECK (per_person_quota >= 1), CONSTRAINT "activity_category_check" CHECK (category IN ('class', 'lecture', 'performance', 'exhibition', 'film_screening', 'training', 'reading_event')), CONSTRAINT "PK_24625a1d6b1b089c8ae206fe467" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "activity_branch_id_idx" ON "activity" ("branch_id") `);
        await queryRunner.query(`CREATE TABLE "activity_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "activity_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "capacity" integer NOT NULL, "walk_in_seats" integer NOT NULL DEFAULT '0', "venue_id" uuid, "venue_booking_id" uuid, CONSTRAINT "activity_session_capacity_check" CHECK (capacity >= 0 AND walk_in_seats >= 0 AND walk_in_seats <= capacity), CONSTRAINT "activity_session_order_check" CHECK (starts_at < ends_at), CONSTRAINT "PK_b1eec88abee31d02a6790463abb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "activity_session_activity_id_idx" ON "activity_session" ("activity_id") `);
        await queryRunner.query(`CREATE INDEX "activity_session_starts_at_idx" ON "activity_session" ("starts_at") `);
        await queryRunner.query(`CREATE TABLE "registration" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "patron_id" uuid NOT NULL, "status" character varying(12) NOT NULL, "waitlisted_at" TIMESTAMP WITH TIME ZONE, "by_staff" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "confirmed_at" TIMESTAMP WITH TIME ZONE, "checked_in_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "registration_status_check" CHECK (status IN ('confirmed', 'waitlisted', 'cancelled', 'attended', 'no_show')), CONSTRAINT "PK_cb23dc9d28df8801b15e9e2b8d6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "registration_patron_idx" ON "registration" ("patron_id") `);
        await queryRunner.query(`CREATE INDEX "registration_waitlist_idx" ON "registration" ("session_id", "waitlisted_at") WHERE status = 'waitlisted'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "registration_one_per_person_key" ON "registration" ("session_id", "patron_id") WHERE status IN ('confirmed', 'waitlisted', 'attended')`);
        await queryRunner.query(`CREATE TABLE "session_seat" ("session_id" uuid NOT NULL, "seat_no" integer NOT NULL, "walk_in" boolean NOT NULL DEFAULT false, "registration_id" uuid, CONSTRAINT "PK_16e76c5cdaec84d8ee887de7753" PRIMARY KEY ("session_id", "seat_no"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "session_seat_holder_key" ON "session_seat" ("registration_id") WHERE registration_id IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "venue" ADD CONSTRAINT "FK_c1e1e21c41f84cc2d41d58f1eea" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "venue_booking" ADD CONSTRAINT "FK_bae98cd3751e85b669a062ed611" FOREIGN KEY ("venue_id") REFERENCES "venue"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "venue_booking" ADD CONSTRAINT "FK_018094f44c673949fca940996ce" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "FK_488243054be1c6fe0684542168b" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity_session" ADD CONSTRAINT "FK_2fe1cc2ab4b10297c812d1a96ac" FOREIGN KEY ("activity_id") REFERENCES "activity"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity_session" ADD CONSTRAINT "FK_98ef3e243e0e3cd394f3aa01143" FOREIGN KEY ("venue_id") REFERENCES "venue"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity_session" ADD CONSTRAINT "FK_0a99687a3c255cc966151af2bce" FOREIGN KEY ("venue_booking_id") REFERENCES "venue_booking"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "registration" ADD CONSTRAINT "FK_faed2fd56327e038efcb3b53150" FOREIGN KEY ("session_id") REFERENCES "activity_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "registration" ADD CONSTRAINT "FK_e97664f81d45e777079576de915" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "session_seat" ADD CONSTRAINT "FK_349a55513235a9386671653f0f6" FOREIGN KEY ("session_id") REFERENCES "activity_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "session_seat" ADD CONSTRAINT "FK_3c03cf0d79eec40f15714e60f51" FOREIGN KEY ("registration_id") REFERENCES "registration"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        // Written by hand: two live spans of one venue never overlap (needs btree_gist for the uuid equality).
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
        await queryRunner.query(`ALTER TABLE "venue_booking" ADD CONSTRAINT "venue_booking_no_overlap" EXCLUDE USING gist ("venue_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("status" IN ('pending', 'confirmed', 'checked_in'))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "venue_booking" DROP CONSTRAINT "venue_booking_no_overlap"`);
        await queryRunner.query(`ALTER TABLE "session_seat" DROP CONSTRAINT "FK_3c03cf0d79eec40f15714e60f51"`);
        await queryRunner.query(`ALTER TABLE "session_seat" DROP CONSTRAINT "FK_349a55513235a9386671653f0f6"`);
        await queryRunner.query(`ALTER TABLE "registration" DROP CONSTRAINT "FK_e97664f81d45e777079576de915"`);
        await queryRunner.query(`ALTER TABLE "registration" DROP CONSTRAINT "FK_faed2fd56327e038efcb3b53150"`);
        await queryRunner.query(`ALTER TABLE "activity_session" DROP CONSTRAINT "FK_0a99687a3c255cc966151af2bce"`);
        await queryRunner.query(`ALTER TABLE "activity_session" DROP CONSTRAINT "FK_98ef3e243e0e3cd394f3aa01143"`);
        await queryRunner.query(`ALTER TABLE "activity_session" DROP CONSTRAINT "FK_2fe1cc2ab4b10297c812d1a96ac"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_488243054be1c6fe0684542168b"`);
        await queryRunner.query(`ALTER TABLE "venue_booking" DROP CONSTRAINT "FK_018094f44c673949fca940996ce"`);
        await queryRunner.query(`ALTER TABLE "venue_booking" DROP CONSTRAINT "FK_bae98cd3751e85b669a062ed611"`);
        await queryRunner.query(`ALTER TABLE "venue" DROP CONSTRAINT "FK_c1e1e21c41f84cc2d41d58f1eea"`);
        await queryRunner.query(`DROP INDEX "public"."session_seat_holder_key"`);
        await queryRunner.query(`DROP TABLE "session_seat"`);
        await queryRunner.query(`DROP INDEX "public"."registration_one_per_person_key"`);
        await queryRunner.query(`DROP INDEX "public"."registration_waitlist_idx"`);
        await queryRunner.query(`DROP INDEX "public"."registration_patron_idx"`);
        await queryRunner.query(`DROP TABLE "registration"`);
        await queryRunner.query(`DROP INDEX "public"."activity_session_starts_at_idx"`);
        await queryRunner.query(`DROP INDEX "public"."activity_session_activity_id_idx"`);
        await queryRunner.query(`DROP TABLE "activity_session"`);
        await queryRunner.query(`DROP INDEX "public"."activity_branch_id_idx"`);
        await queryRunner.query(`DROP TABLE "activity"`);
        await queryRunner.query(`DROP INDEX "public"."venue_booking_patron_idx"`);
        await queryRunner.query(`DROP TABLE "venue_booking"`);
        await queryRunner.query(`DROP INDEX "public"."venue_branch_id_idx"`);
        await queryRunner.query(`DROP TABLE "venue"`);
    }

}
