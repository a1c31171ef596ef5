import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The pull list (取书单): copies a hold trapped while they stood on an open shelf, until they are scanned.
 * Copies trapped that way before this migration are not listed: nobody can tell any more whether they were pulled.
 * And item_edit: who changed which copy by a bulk edit (批量修改), from what to what.
 */
export class PullListItemEdits1796017100000 implements MigrationInterface {
    name = 'PullListItemEdits1796017100000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "copy_to_pull" ("item_id" uuid NOT NULL, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0ec97aabbbea3833802498a7c2a" PRIMARY KEY ("item_id"))`);
        await queryRunner.query(`ALTER TABLE "copy_to_pull" ADD CONSTRAINT "FK_0ec97aabbbea3833802498a7c2a" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "item_edit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "item_id" uuid NOT NULL, "edited_by" uuid NOT NULL, "edited_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "changes" jsonb NOT NULL, CONSTRAINT "PK_4eb6964a681d59585edd4afdb33" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "item_edit_item_idx" ON "item_edit" ("item_id", "edited_at") `);
        await queryRunner.query(`ALTER TABLE "item_edit" ADD CONSTRAINT "FK_ad49849e1cbffec5893006978a1" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "item_edit" DROP CONSTRAINT "FK_ad49849e1cbffec5893006978a1"`);
        await queryRunner.query(`DROP INDEX "public"."item_edit_item_idx"`);
        await queryRunner.query(`DROP TABLE "item_edit"`);
        await queryRunner.query(`ALTER TABLE "copy_to_pull" DROP CONSTRAINT "FK_0ec97aabbbea3833802498a7c2a"`);
        await queryRunner.query(`DROP TABLE "copy_to_pull"`);
    }
}
