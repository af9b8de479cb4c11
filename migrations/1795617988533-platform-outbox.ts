import { MigrationInterface, QueryRunner } from "typeorm";

export class PlatformOutbox1795617988533 implements MigrationInterface {
    name = 'PlatformOutbox1795617988533'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "platform"."outbox_events" (
                "id" uuid NOT NULL,
                "name" text NOT NULL,
                "version" integer NOT NULL,
                "payload" jsonb NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "outbox_events_pending_idx" ON "platform"."outbox_events" ("available_at")
            WHERE published_at IS NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "platform"."outbox_events_pending_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "platform"."outbox_events"
        `);
    }

}
