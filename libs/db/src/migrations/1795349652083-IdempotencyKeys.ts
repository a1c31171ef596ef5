import { MigrationInterface, QueryRunner } from "typeorm";

export class IdempotencyKeys1795349652083 implements MigrationInterface {
    name = 'IdempotencyKeys1795349652083'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_key" ("scope" character(64) NOT NULL, "request_hash" character(64) NOT NULL, "status" smallint, "body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_e07c7cc9db82a00ea4f8734da99" PRIMARY KEY ("scope"))`);
        await queryRunner.query(`CREATE INDEX "idempotency_key_expires_idx" ON "idempotency_key" ("expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idempotency_key_expires_idx"`);
        await queryRunner.query(`DROP TABLE "idempotency_key"`);
    }

}
