import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The pull list (取书单): copies a hold trapped while they stood on an open shelf, until they are scanned.
 * Copies trapped that way before this migration are not listed: nobody can tell any more whether they were pulled.
 */
export class CopiesToPull1796017100000 implements MigrationInterface {
    name = 'CopiesToPull1796017100000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "copy_to_pull" ("item_id" uuid NOT NULL, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0ec97aabbbea3833802498a7c2a" PRIMARY KEY ("item_id"))`);
        await queryRunner.query(`ALTER TABLE "copy_to_pull" ADD CONSTRAINT "FK_0ec97aabbbea3833802498a7c2a" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "copy_to_pull" DROP CONSTRAINT "FK_0ec97aabbbea3833802498a7c2a"`);
        await queryRunner.query(`DROP TABLE "copy_to_pull"`);
    }
}
