import { MigrationInterface, QueryRunner } from "typeorm";

export class InventoryStock1795788333913 implements MigrationInterface {
    name = 'InventoryStock1795788333913'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "inventory"."movements" (
                "id" uuid NOT NULL,
                "sku" character varying(64) NOT NULL,
                "location" character varying(64) NOT NULL,
                "kind" character varying(16) NOT NULL,
                "on_hand_delta" integer NOT NULL,
                "reserved_delta" integer NOT NULL,
                "reason" character varying(200),
                "reference" character varying(120),
                "actor" character varying(64) NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5a8e3da15ab8f2ce353e7f58f67" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_inventory_movements_sku_at" ON "inventory"."movements" ("sku", "at")
        `);
        await queryRunner.query(`
            CREATE TABLE "inventory"."reservations" (
                "id" uuid NOT NULL,
                "reference" character varying(120) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "release_reason" character varying(200),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "settled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_inventory_reservations_status" CHECK (
                    status IN ('active', 'committed', 'released', 'expired')
                ),
                CONSTRAINT "PK_da95cef71b617ac35dc5bcda243" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_inventory_reservations_active_expiry" ON "inventory"."reservations" ("expires_at")
            WHERE status = 'active'
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_inventory_reservations_held_reference" ON "inventory"."reservations" ("reference")
            WHERE status IN ('active', 'committed')
        `);
        await queryRunner.query(`
            CREATE TABLE "inventory"."reservation_lines" (
                "reservation_id" uuid NOT NULL,
                "sku" character varying(64) NOT NULL,
                "location" character varying(64) NOT NULL,
                "quantity" integer NOT NULL,
                CONSTRAINT "CHK_inventory_reservation_lines_quantity" CHECK (quantity > 0),
                CONSTRAINT "PK_caf4b49acdb5827031a7243ec00" PRIMARY KEY ("reservation_id", "sku", "location")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "inventory"."stock_levels" (
                "sku" character varying(64) NOT NULL,
                "location" character varying(64) NOT NULL DEFAULT 'main',
                "on_hand" integer NOT NULL DEFAULT '0',
                "reserved" integer NOT NULL DEFAULT '0',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_inventory_stock_levels_reserved" CHECK (
                    reserved >= 0
                    AND reserved <= on_hand
                ),
                CONSTRAINT "CHK_inventory_stock_levels_on_hand" CHECK (on_hand >= 0),
                CONSTRAINT "PK_ff215bcfaf53848ec5bdf4481da" PRIMARY KEY ("sku", "location")
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "inventory"."stock_levels"
        `);
        await queryRunner.query(`
            DROP TABLE "inventory"."reservation_lines"
        `);
        await queryRunner.query(`
            DROP INDEX "inventory"."UQ_inventory_reservations_held_reference"
        `);
        await queryRunner.query(`
            DROP INDEX "inventory"."IDX_inventory_reservations_active_expiry"
        `);
        await queryRunner.query(`
            DROP TABLE "inventory"."reservations"
        `);
        await queryRunner.query(`
            DROP INDEX "inventory"."IDX_inventory_movements_sku_at"
        `);
        await queryRunner.query(`
            DROP TABLE "inventory"."movements"
        `);
    }

}
