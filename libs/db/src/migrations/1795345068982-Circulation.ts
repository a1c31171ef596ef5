import { MigrationInterface, QueryRunner } from "typeorm";

export class Circulation1795345068982 implements MigrationInterface {
    name = 'Circulation1795345068982'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "bib_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "control_number" character varying(64), "isbns" character varying(13) array NOT NULL DEFAULT '{}', "title" text NOT NULL, "title_variants" text array NOT NULL DEFAULT '{}', "responsibility" text, "authors" text array NOT NULL DEFAULT '{}', "publisher" text, "year" smallint, "language" character varying(8), "subjects" text array NOT NULL DEFAULT '{}', "call_number" character varying(64), "search_text" text NOT NULL DEFAULT '', "search_grams" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7b56ded3540c30bb7b232735507" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "bib_record_control_number_key" ON "bib_record" ("control_number") `);
        await queryRunner.query(`CREATE INDEX "bib_record_call_number_idx" ON "bib_record" ("call_number") `);
        await queryRunner.query(`CREATE TABLE "item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "barcode" character varying(32) NOT NULL, "home_branch_id" uuid NOT NULL, "circulating_branch_id" uuid NOT NULL, "current_branch_id" uuid, "item_type" character varying(16) NOT NULL DEFAULT 'book', "status" character varying(16) NOT NULL DEFAULT 'available', "shelving_location" character varying(64), "call_number" character varying(64), "price" numeric(10,2), "acquired_on" date, "floating" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "item_price_check" CHECK (price IS NULL OR price >= 0), CONSTRAINT "item_status_check" CHECK (status IN ('available', 'on_loan', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'claims_returned', 'withdrawn')), CONSTRAINT "item_type_check" CHECK (item_type IN ('book', 'periodical', 'audiovisual', 'children')), CONSTRAINT "PK_d3c0c71f23e7adcf952a1d13423" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "item_record_id_idx" ON "item" ("record_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "item_barcode_key" ON "item" ("barcode") `);
        await queryRunner.query(`CREATE INDEX "item_current_branch_id_idx" ON "item" ("current_branch_id") `);
        await queryRunner.query(`CREATE TABLE "circulation_policy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "patron_category" character varying(16), "item_type" character varying(16), "branch_id" uuid, "loan_days" smallint NOT NULL, "max_loans" smallint NOT NULL, "renewals_allowed" smallint NOT NULL, "holds_allowed" boolean NOT NULL, "max_holds" smallint NOT NULL, "hold_pickup_days" smallint NOT NULL, "fine_per_day" numeric(8,2) NOT NULL DEFAULT '0', "fine_cap" numeric(8,2) NOT NULL DEFAULT '0', "block_fines_over" numeric(8,2) NOT NULL DEFAULT '0', "block_overdue_items" smallint NOT NULL, CONSTRAINT "circulation_policy_money_check" CHECK (fine_per_day >= 0 AND fine_cap >= 0 AND block_fines_over >= 0), CONSTRAINT "circulation_policy_limits_check" CHECK (loan_days > 0 AND max_loans >= 0 AND renewals_allowed >= 0 AND max_holds >= 0 AND hold_pickup_days > 0), CONSTRAINT "PK_cc603ebaa985e4a94959051a45d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "floating_pair" ("branch_a_id" uuid NOT NULL, "branch_b_id" uuid NOT NULL, CONSTRAINT "floating_pair_order_check" CHECK (branch_a_id < branch_b_id), CONSTRAINT "PK_68fc0e1caf5a635a23c1ae25641" PRIMARY KEY ("branch_a_id", "branch_b_id"))`);
        await queryRunner.query(`CREATE TABLE "loan" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "item_id" uuid NOT NULL, "patron_id" uuid, "patron_category" character varying(16) NOT NULL, "item_type" character varying(16) NOT NULL, "checkout_branch_id" uuid NOT NULL, "checkin_branch_id" uuid, "checked_out_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "renewals" smallint NOT NULL DEFAULT '0', "status" character varying(16) NOT NULL DEFAULT 'open', "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "loan_closed_check" CHECK ((closed_at IS NULL) = (status IN ('open', 'claims_returned'))), CONSTRAINT "loan_status_check" CHECK (status IN ('open', 'claims_returned', 'returned', 'lost')), CONSTRAINT "PK_4ceda725a323d254a5fd48bf95f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "loan_due_at_idx" ON "loan" ("due_at") `);
        await queryRunner.query(`CREATE INDEX "loan_open_by_patron_idx" ON "loan" ("patron_id") WHERE closed_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "loan_one_open_per_item_key" ON "loan" ("item_id") WHERE closed_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "fine" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "patron_id" uuid NOT NULL, "loan_id" uuid, "amount" numeric(8,2) NOT NULL, "reason" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "paid_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "fine_amount_check" CHECK (amount > 0), CONSTRAINT "PK_13acc5a2e27270b02717cfa9b30" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "fine_patron_id_idx" ON "fine" ("patron_id") `);
        await queryRunner.query(`CREATE TABLE "hold" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "patron_id" uuid NOT NULL, "record_id" uuid NOT NULL, "item_id" uuid, "pickup_branch_id" uuid NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'waiting', "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "trapped_item_id" uuid, "ready_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "hold_trapped_check" CHECK ((trapped_item_id IS NOT NULL) = (status IN ('in_transit', 'ready'))), CONSTRAINT "hold_status_check" CHECK (status IN ('waiting', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired')), CONSTRAINT "PK_d955539abc6b1b33382b0d34f1b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "hold_queue_idx" ON "hold" ("record_id", "placed_at") WHERE status = 'waiting'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "hold_one_per_patron_and_title_key" ON "hold" ("patron_id", "record_id") WHERE status IN ('waiting', 'in_transit', 'ready')`);
        await queryRunner.query(`CREATE UNIQUE INDEX "hold_one_trap_per_item_key" ON "hold" ("trapped_item_id") WHERE status IN ('in_transit', 'ready')`);
        await queryRunner.query(`CREATE TABLE "transit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "item_id" uuid NOT NULL, "from_branch_id" uuid NOT NULL, "to_branch_id" uuid NOT NULL, "reason" character varying(12) NOT NULL, "hold_id" uuid, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "received_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "transit_branches_check" CHECK (from_branch_id <> to_branch_id), CONSTRAINT "transit_reason_check" CHECK (reason IN ('return_home', 'hold')), CONSTRAINT "PK_4c4434f94b64438c656fa19fc2c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "transit_open_from_idx" ON "transit" ("from_branch_id", "sent_at") WHERE received_at IS NULL AND cancelled_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "transit_open_to_idx" ON "transit" ("to_branch_id", "sent_at") WHERE received_at IS NULL AND cancelled_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "transit_one_open_per_item_key" ON "transit" ("item_id") WHERE received_at IS NULL AND cancelled_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "usage_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "kind" character varying(32) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "branch_id" uuid, "region_id" uuid, "item_type" character varying(16), "patron_category" character varying(16), "quantity" integer NOT NULL DEFAULT '1', "attributes" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_797d3f1dfd307095af5e4fd8457" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "usage_event_branch_time_idx" ON "usage_event" ("branch_id", "occurred_at") `);
        await queryRunner.query(`CREATE INDEX "usage_event_kind_time_idx" ON "usage_event" ("kind", "occurred_at") `);
        await queryRunner.query(`ALTER TABLE "patron" ADD "keep_loan_history" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "item" ADD CONSTRAINT "FK_be76179fd920877cb344216bf58" FOREIGN KEY ("record_id") REFERENCES "bib_record"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "item" ADD CONSTRAINT "FK_1f9dedd4042fc8e4a677506e512" FOREIGN KEY ("home_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "item" ADD CONSTRAINT "FK_e7bfdc0966758e9773ba754b0e7" FOREIGN KEY ("circulating_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "item" ADD CONSTRAINT "FK_15073ad1c0886bd89371ecf8904" FOREIGN KEY ("current_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "circulation_policy" ADD CONSTRAINT "FK_454d4511585b0080c0f53e5f7c8" FOREIGN KEY ("branch_id") REFERENCES "branch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "floating_pair" ADD CONSTRAINT "FK_b250188b571c06fe008318199e3" FOREIGN KEY ("branch_a_id") REFERENCES "branch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "floating_pair" ADD CONSTRAINT "FK_670d2e089572d883e4290dda466" FOREIGN KEY ("branch_b_id") REFERENCES "branch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "loan" ADD CONSTRAINT "FK_5ff6084c157cf9e5a2209ce78ae" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "loan" ADD CONSTRAINT "FK_5982c4709936adf4eef59e3ef28" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "loan" ADD CONSTRAINT "FK_741df5967422ae31fc6628f1b0a" FOREIGN KEY ("checkout_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "loan" ADD CONSTRAINT "FK_2d5b63a33d760a54b9ac8170254" FOREIGN KEY ("checkin_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "fine" ADD CONSTRAINT "FK_a4025a4c95ee7d524a5fad78cce" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "fine" ADD CONSTRAINT "FK_fa14699db4fcb454d0d20cf8d07" FOREIGN KEY ("loan_id") REFERENCES "loan"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "hold" ADD CONSTRAINT "FK_e3e9ad6a97591cee386ff2a2b0a" FOREIGN KEY ("patron_id") REFERENCES "patron"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "hold" ADD CONSTRAINT "FK_437d287904b2058d1d0e4893d32" FOREIGN KEY ("record_id") REFERENCES "bib_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "hold" ADD CONSTRAINT "FK_c10331a82c68795334c2bfd4c28" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "hold" ADD CONSTRAINT "FK_e827b44fc52c4b2694833aa48a1" FOREIGN KEY ("pickup_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "hold" ADD CONSTRAINT "FK_9b73d49457748b76e415c93eec6" FOREIGN KEY ("trapped_item_id") REFERENCES "item"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "transit" ADD CONSTRAINT "FK_a0532f9f3e1dcc3ec74173e4411" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "transit" ADD CONSTRAINT "FK_322a9a71e2bced1a566025ec5a2" FOREIGN KEY ("from_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "transit" ADD CONSTRAINT "FK_1a9b889ca79419df4c84e5e27d0" FOREIGN KEY ("to_branch_id") REFERENCES "branch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "transit" ADD CONSTRAINT "FK_6b69dafb0dacfa0df7d5f81d3ad" FOREIGN KEY ("hold_id") REFERENCES "hold"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        // Written by hand: what entity metadata cannot express.
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await queryRunner.query(`CREATE INDEX "bib_record_search_text_trgm_idx" ON "bib_record" USING gin ("search_text" gin_trgm_ops)`);
        await queryRunner.query(`CREATE INDEX "bib_record_search_grams_idx" ON "bib_record" USING gin ("search_grams")`);
        await queryRunner.query(`CREATE INDEX "bib_record_isbns_idx" ON "bib_record" USING gin ("isbns")`);
        await queryRunner.query(`CREATE UNIQUE INDEX "circulation_policy_scope_key" ON "circulation_policy" ("patron_category", "item_type", "branch_id") NULLS NOT DISTINCT`);
        // The network default: 30 days, 10 loans, 1 renewal, holds allowed, no fines (a free public library).
        await queryRunner.query(`INSERT INTO "circulation_policy" ("loan_days", "max_loans", "renewals_allowed", "holds_allowed", "max_holds", "hold_pickup_days", "fine_per_day", "fine_cap", "block_fines_over", "block_overdue_items") VALUES (30, 10, 1, true, 5, 7, 0, 0, 0, 5)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "circulation_policy_scope_key"`);
        await queryRunner.query(`DROP INDEX "bib_record_isbns_idx"`);
        await queryRunner.query(`DROP INDEX "bib_record_search_grams_idx"`);
        await queryRunner.query(`DROP INDEX "bib_record_search_text_trgm_idx"`);
        await queryRunner.query(`ALTER TABLE "transit" DROP CONSTRAINT "FK_6b69dafb0dacfa0df7d5f81d3ad"`);
        await queryRunner.query(`ALTER TABLE "transit" DROP CONSTRAINT "FK_1a9b889ca79419df4c84e5e27d0"`);
        await queryRunner.query(`ALTER TABLE "transit" DROP CONSTRAINT "FK_322a9a71e2bced1a566025ec5a2"`);
        await queryRunner.query(`ALTER TABLE "transit" DROP CONSTRAINT "FK_a0532f9f3e1dcc3ec74173e4411"`);
        await queryRunner.query(`ALTER TABLE "hold" DROP CONSTRAINT "FK_9b73d49457748b76e415c93eec6"`);
        await queryRunner.query(`ALTER TABLE "hold" DROP CONSTRAINT "FK_e827b44fc52c4b2694833aa48a1"`);
        await queryRunner.query(`ALTER TABLE "hold" DROP CONSTRAINT "FK_c10331a82c68795334c2bfd4c28"`);
        await queryRunner.query(`ALTER TABLE "hold" DROP CONSTRAINT "FK_437d287904b2058d1d0e4893d32"`);
        await queryRunner.query(`ALTER TABLE "hold" DROP CONSTRAINT "FK_e3e9ad6a97591cee386ff2a2b0a"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP CONSTRAINT "FK_fa14699db4fcb454d0d20cf8d07"`);
        await queryRunner.query(`ALTER TABLE "fine" DROP CONSTRAINT "FK_a4025a4c95ee7d524a5fad78cce"`);
        await queryRunner.query(`ALTER TABLE "loan" DROP CONSTRAINT "FK_2d5b63a33d760a54b9ac8170254"`);
        await queryRunner.query(`ALTER TABLE "loan" DROP CONSTRAINT "FK_741df5967422ae31fc6628f1b0a"`);
        await queryRunner.query(`ALTER TABLE "loan" DROP CONSTRAINT "FK_5982c4709936adf4eef59e3ef28"`);
        await queryRunner.query(`ALTER TABLE "loan" DROP CONSTRAINT "FK_5ff6084c157cf9e5a2209ce78ae"`);
        await queryRunner.query(`ALTER TABLE "floating_pair" DROP CONSTRAINT "FK_670d2e089572d883e4290dda466"`);
        await queryRunner.query(`ALTER TABLE "floating_pair" DROP CONSTRAINT "FK_b250188b571c06fe008318199e3"`);
        await queryRunner.query(`ALTER TABLE "circulation_policy" DROP CONSTRAINT "FK_454d4511585b0080c0f53e5f7c8"`);
        await queryRunner.query(`ALTER TABLE "item" DROP CONSTRAINT "FK_15073ad1c0886bd89371ecf8904"`);
        await queryRunner.query(`ALTER TABLE "item" DROP CONSTRAINT "FK_e7bfdc0966758e9773ba754b0e7"`);
        await queryRunner.query(`ALTER TABLE "item" DROP CONSTRAINT "FK_1f9dedd4042fc8e4a677506e512"`);
        await queryRunner.query(`ALTER TABLE "item" DROP CONSTRAINT "FK_be76179fd920877cb344216bf58"`);
        await queryRunner.query(`ALTER TABLE "patron" DROP COLUMN "keep_loan_history"`);
        await queryRunner.query(`DROP INDEX "public"."usage_event_kind_time_idx"`);
        await queryRunner.query(`DROP INDEX "public"."usage_event_branch_time_idx"`);
        await queryRunner.query(`DROP TABLE "usage_event"`);
        await queryRunner.query(`DROP INDEX "public"."transit_one_open_per_item_key"`);
        await queryRunner.query(`DROP INDEX "public"."transit_open_to_idx"`);
        await queryRunner.query(`DROP INDEX "public"."transit_open_from_idx"`);
        await queryRunner.query(`DROP TABLE "transit"`);
        await queryRunner.query(`DROP INDEX "public"."hold_one_trap_per_item_key"`);
        await queryRunner.query(`DROP INDEX "public"."hold_one_per_patron_and_title_key"`);
        await queryRunner.query(`DROP INDEX "public"."hold_queue_idx"`);
        await queryRunner.query(`DROP TABLE "hold"`);
        await queryRunner.query(`DROP INDEX "public"."fine_patron_id_idx"`);
        await queryRunner.query(`DROP TABLE "fine"`);
        await queryRunner.query(`DROP INDEX "public"."loan_one_open_per_item_key"`);
        await queryRunner.query(`DROP INDEX "public"."loan_open_by_patron_idx"`);
        await queryRunner.query(`DROP INDEX "public"."loan_due_at_idx"`);
        await queryRunner.query(`DROP TABLE "loan"`);
        await queryRunner.query(`DROP TABLE "floating_pair"`);
        await queryRunner.query(`DROP TABLE "circulation_policy"`);
        await queryRunner.query(`DROP INDEX "public"."item_current_branch_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."item_barcode_key"`);
        await queryRunner.query(`DROP INDEX "public"."item_record_id_idx"`);
        await queryRunner.query(`DROP TABLE "item"`);
        await queryRunner.query(`DROP INDEX "public"."bib_record_call_number_idx"`);
        await queryRunner.query(`DROP INDEX "public"."bib_record_control_number_key"`);
        await queryRunner.query(`DROP TABLE "bib_record"`);
    }

}
