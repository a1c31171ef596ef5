import { MigrationInterface, QueryRunner } from "typeorm";

export class VisitIntervals1795353828696 implements MigrationInterface {
    name = 'VisitIntervals1795353828696'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."usage_event_visit_interval_key"`);
        // The interval a door count covers. IMMUTABLE holds in practice: the platform writes both ends as ISO
        // instants with an offset (toISOString), which read the same whatever the session's TimeZone.
        await queryRunner.query(`CREATE FUNCTION usage_interval(attributes jsonb) RETURNS tstzrange LANGUAGE sql IMMUTABLE AS
          $fn$ SELECT tstzrange((attributes->>'from')::timestamptz, (attributes->>'to')::timestamptz, '[)') $fn$`);
        await queryRunner.query(`ALTER TABLE "usage_event" ADD CONSTRAINT "usage_event_visit_no_overlap" EXCLUDE USING gist ("branch_id" WITH =, usage_interval("attributes") WITH &&) WHERE ("kind" = 'visit' AND "attributes" ? 'from')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "usage_event" DROP CONSTRAINT "usage_event_visit_no_overlap"`);
        await queryRunner.query(`DROP FUNCTION usage_interval(jsonb)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "usage_event_visit_interval_key" ON "usage_event" ("branch_id", (attributes->>'from'), (attributes->>'to')) WHERE kind = 'visit'`);
    }

}
