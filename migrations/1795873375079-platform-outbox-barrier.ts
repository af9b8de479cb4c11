import { MigrationInterface, QueryRunner } from "typeorm";

export class PlatformOutboxBarrier1795873375079 implements MigrationInterface {
    name = 'PlatformOutboxBarrier1795873375079'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "platform"."outbox_barrier" (
                "id" smallint NOT NULL,
                "passed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_ed595d8d9574eec6c75d8a6f2a9" PRIMARY KEY ("id")
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "platform"."outbox_barrier"
        `);
    }

}
