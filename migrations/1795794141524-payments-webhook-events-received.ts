import { MigrationInterface, QueryRunner } from "typeorm";

export class PaymentsWebhookEventsReceived1795794141524 implements MigrationInterface {
    name = 'PaymentsWebhookEventsReceived1795794141524'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_payments_webhook_events_received" ON "payments"."webhook_events" ("received_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "payments"."IDX_payments_webhook_events_received"
        `);
    }

}
