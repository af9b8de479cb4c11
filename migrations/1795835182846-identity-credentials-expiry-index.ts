import { MigrationInterface, QueryRunner } from "typeorm";

export class IdentityCredentialsExpiryIndex1795835182846 implements MigrationInterface {
    name = 'IdentityCredentialsExpiryIndex1795835182846'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_identity_password_resets_expires" ON "identity"."password_resets" ("expires_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_identity_refresh_tokens_expires" ON "identity"."refresh_tokens" ("expires_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "identity"."IDX_identity_refresh_tokens_expires"
        `);
        await queryRunner.query(`
            DROP INDEX "identity"."IDX_identity_password_resets_expires"
        `);
    }

}
