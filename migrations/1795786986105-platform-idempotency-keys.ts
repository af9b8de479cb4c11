import { MigrationInterface, QueryRunner } from "typeorm";

export class PlatformIdempotencyKeys1795786986105 implements MigrationInterface {
    name = 'PlatformIdempotencyKeys1795786986105'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "platform"."idempotency_keys" (
                "id" uuid NOT NULL,
                "scope" text NOT NULL,
                "request" text NOT NULL,
                "key" character varying(255) NOT NULL,
                "fingerprint" character(64) NOT NULL,
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "response_status" integer,
                "response_headers" jsonb,
                "response_body" bytea,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "idempotency_keys_scope_uq" UNIQUE ("scope", "request", "key"),
                CONSTRAINT "PK_8ad20779ad0411107a56e53d0f6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idempotency_keys_expires_idx" ON "platform"."idempotency_keys" ("expires_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "platform"."idempotency_keys_expires_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "platform"."idempotency_keys"
        `);
    }

}
