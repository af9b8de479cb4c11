import { MigrationInterface, QueryRunner } from "typeorm";

export class OrdersOrders1795792588676 implements MigrationInterface {
    name = 'OrdersOrders1795792588676'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "orders"`);
        await queryRunner.query(`
            CREATE TABLE "orders"."orders" (
                "id" uuid NOT NULL,
                "number" character varying(16) NOT NULL,
                "status" character varying(24) NOT NULL,
                "checkout_key" character(64),
                "cart_id" uuid NOT NULL,
                "customer_id" uuid,
                "email" character varying(320) NOT NULL,
                "currency" character(3) NOT NULL,
                "tax_included" boolean NOT NULL,
                "subtotal" integer NOT NULL,
                "discount" integer NOT NULL,
                "shipping" integer NOT NULL,
                "tax" integer NOT NULL,
                "total" integer NOT NULL,
                "shipping_address" jsonb NOT NULL,
                "billing_address" jsonb NOT NULL,
                "shipping_method" jsonb NOT NULL,
                "promotion_ids" uuid array NOT NULL DEFAULT '{}',
                "reservation_id" uuid,
                "settled_at" TIMESTAMP WITH TIME ZONE,
                "needs_attention" boolean NOT NULL DEFAULT false,
                "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_orders_orders_totals" CHECK (
                    subtotal >= 0
                    AND discount >= 0
                    AND shipping >= 0
                    AND tax >= 0
                    AND total >= 0
                ),
                CONSTRAINT "CHK_orders_orders_status" CHECK (
                    status IN (
                        'pending_payment',
                        'paid',
                        'fulfilling',
                        'shipped',
                        'delivered',
                        'cancelled',
                        'refunded',
                        'partially_refunded'
                    )
                ),
                CONSTRAINT "PK_710e2d4957aa5878dfe94e4ac2f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_orders_placed" ON "orders"."orders" ("placed_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_orders_status_placed" ON "orders"."orders" ("status", "placed_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_orders_email" ON "orders"."orders" ("email")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_orders_customer_placed" ON "orders"."orders" ("customer_id", "placed_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_orders_orders_checkout_key" ON "orders"."orders" ("checkout_key")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_orders_orders_number" ON "orders"."orders" ("number")
        `);
        await queryRunner.query(`
            CREATE TABLE "orders"."order_lines" (
                "order_id" uuid NOT NULL,
                "position" smallint NOT NULL,
                "sku" character varying(64) NOT NULL,
                "product_id" uuid NOT NULL,
                "product_name" character varying(300) NOT NULL,
                "options" jsonb NOT NULL DEFAULT '{}',
                "quantity" integer NOT NULL,
                "unit_price" integer NOT NULL,
                "subtotal" integer NOT NULL,
                "discount" integer NOT NULL,
                "tax" integer NOT NULL,
                "total" integer NOT NULL,
                CONSTRAINT "CHK_orders_order_lines_quantity" CHECK (quantity > 0),
                CONSTRAINT "PK_887d737613de486d729389fc16c" PRIMARY KEY ("order_id", "position")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "orders"."order_transitions" (
                "id" BIGSERIAL NOT NULL,
                "order_id" uuid NOT NULL,
                "from_status" character varying(24),
                "to_status" character varying(24) NOT NULL,
                "actor" character varying(64) NOT NULL,
                "reason" character varying(500),
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4818025b2c3ef42046b07971605" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_order_transitions_order" ON "orders"."order_transitions" ("order_id", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "orders"."order_notes" (
                "id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "author" character varying(64) NOT NULL,
                "text" character varying(2000) NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_98b207341585da2a0faa9b841ed" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_orders_order_notes_order" ON "orders"."order_notes" ("order_id", "at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_order_notes_order"
        `);
        await queryRunner.query(`
            DROP TABLE "orders"."order_notes"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_order_transitions_order"
        `);
        await queryRunner.query(`
            DROP TABLE "orders"."order_transitions"
        `);
        await queryRunner.query(`
            DROP TABLE "orders"."order_lines"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."UQ_orders_orders_number"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."UQ_orders_orders_checkout_key"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_orders_customer_placed"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_orders_email"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_orders_status_placed"
        `);
        await queryRunner.query(`
            DROP INDEX "orders"."IDX_orders_orders_placed"
        `);
        await queryRunner.query(`
            DROP TABLE "orders"."orders"
        `);
    }

}
