import { MigrationInterface, QueryRunner } from "typeorm";

export class IdentityAccounts1795621266351 implements MigrationInterface {
    name = 'IdentityAccounts1795621266351'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "identity"."accounts" (
                "id" uuid NOT NULL,
                "email" character varying(254) NOT NULL,
                "password_hash" character varying(255) NOT NULL,
                "roles" text array NOT NULL DEFAULT '{customer}',
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "last_login_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_identity_accounts_email" ON "identity"."accounts" ("email")
        `);
        await queryRunner.query(`
            CREATE TABLE "identity"."password_resets" (
                "id" uuid NOT NULL,
                "account_id" uuid NOT NULL,
                "token_hash" character(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4816377aa98211c1de34469e742" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_identity_password_resets_account" ON "identity"."password_resets" ("account_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_identity_password_resets_hash" ON "identity"."password_resets" ("token_hash")
        `);
        await queryRunner.query(`
            CREATE TABLE "identity"."refresh_tokens" (
                "id" uuid NOT NULL,
                "family_id" uuid NOT NULL,
                "account_id" uuid NOT NULL,
                "token_hash" character(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_identity_refresh_tokens_family" ON "identity"."refresh_tokens" ("family_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_identity_refresh_tokens_account" ON "identity"."refresh_tokens" ("account_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_identity_refresh_tokens_hash" ON "identity"."refresh_tokens" ("token_hash")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "identity"."UQ_identity_refresh_tokens_hash"
        `);
        await queryRunner.query(`
            DROP INDEX "identity"."IDX_identity_refresh_tokens_account"
        `);
        await queryRunner.query(`
            DROP INDEX "identity"."IDX_identity_refresh_tokens_family"
        `);
        await queryRunner.query(`
            DROP TABLE "identity"."refresh_tokens"
        `);
        await queryRunner.query(`
            DROP INDEX "identity"."UQ_identity_password_resets_hash"
        `);
        await queryRunner.query(`
            DROP INDEX "identity"."IDX_identity_password_resets_account"
        `);
        await queryRunner.query(`
            DROP TABLE "identity"."password_resets"
        `);
        await queryRunner.query(`
            DROP INDEX "identity"."UQ_identity_accounts_email"
        `);
        await queryRunner.query(`
            DROP TABLE "identity"."accounts"
        `);
    }

}
