import { MigrationInterface, QueryRunner } from "typeorm";

export class OrdersOneLiveOrderPerCart1795794098164 implements MigrationInterface {
    name = 'OrdersOneLiveOrderPerCart1795794098164'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_orders_orders_live_cart" ON "orders"."orders" ("cart_id")
            WHERE status <> 'cancelled'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "orders"."UQ_orders_orders_live_cart"
        `);
    }

}
