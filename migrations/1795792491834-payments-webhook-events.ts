import { MigrationInterface, QueryRunner } from "typeorm";

export class PaymentsWebhookEvents1795792491834 implements MigrationInterface {
    name = 'PaymentsWebhookEvents1795792491834'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "payments"."webhook_events" (
                "provider" character varying(32) NOT NULL,
                "event_id" character varying(255) NOT NULL,
                "type" character varying(64) NOT NULL,
                "payment_id" uuid,
                "outcome" character varying(16) NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f7f654109e5cf7f541d8a9b6945" PRIMARY KEY ("provider", "event_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_payments_payments_provider_ref" ON "payments"."payments" ("provider_ref")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "payments"."IDX_payments_payments_provider_ref"
        `);
        await queryRunner.query(`
            DROP TABLE "payments"."webhook_events"
        `);
    }

}
