import { MigrationInterface, QueryRunner } from "typeorm";

export class OrdersUnsettledIndex1795794630631 implements MigrationInterface {
    name = 'OrdersUnsettledIndex1795794630631'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_orders_unsettled" ON "orders"."orders" ("updated_at")
            WHERE settled_at IS NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_orders_unsettled"
        `);
    }

}
