import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Lets a reservation be one statement without a transaction around it: when a line is short, the
 * statement calls this, which fails it, and PostgreSQL rolls back everything the statement wrote
 * (its reservation row). The short SKU travels in the error's DETAIL.
 */
export class InventoryRaiseShortfall1795821636971 implements MigrationInterface {
    name = 'InventoryRaiseShortfall1795821636971'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE FUNCTION inventory.raise_shortfall(sku varchar) RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'inventory_shortfall' USING ERRCODE = 'P0001', DETAIL = sku;
            END
            $$
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP FUNCTION inventory.raise_shortfall(varchar)`);
    }

}
