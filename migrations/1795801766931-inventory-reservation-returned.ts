import { MigrationInterface, QueryRunner } from "typeorm";

export class InventoryReservationReturned1795801766931 implements MigrationInterface {
    name = 'InventoryReservationReturned1795801766931'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "inventory"."reservations" DROP CONSTRAINT "CHK_inventory_reservations_status"
        `);
        await queryRunner.query(`
            ALTER TABLE "inventory"."reservations"
            ADD CONSTRAINT "CHK_inventory_reservations_known_status" CHECK (
                    status IN (
                        'active',
                        'committed',
                        'released',
                        'expired',
                        'returned'
                    )
                )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "inventory"."reservations" DROP CONSTRAINT "CHK_inventory_reservations_known_status"
        `);
        await queryRunner.query(`
            ALTER TABLE "inventory"."reservations"
            ADD CONSTRAINT "CHK_inventory_reservations_status" CHECK (
                    (
                        (status)::text = ANY (
                            (
                                ARRAY ['active'::character varying, 'committed'::character varying, 'released'::character varying, 'expired'::character varying]
                            )::text []
                        )
                    )
                )
        `);
    }

}
