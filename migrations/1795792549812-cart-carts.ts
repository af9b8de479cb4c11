import { MigrationInterface, QueryRunner } from "typeorm";

export class CartCarts1795792549812 implements MigrationInterface {
    name = 'CartCarts1795792549812'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "cart"`);
        await queryRunner.query(`
            CREATE TABLE "cart"."carts" (
                "id" uuid NOT NULL,
                "customer_id" uuid,
                "token_hash" character(64),
                "status" character varying(16) NOT NULL DEFAULT 'open',
                "currency" character(3) NOT NULL,
                "lines" jsonb NOT NULL DEFAULT '[]',
                "coupon_codes" jsonb NOT NULL DEFAULT '[]',
                "shipping_address" jsonb,
                "shipping_method_id" character varying(32),
                "pricing" jsonb NOT NULL,
                "version" integer NOT NULL DEFAULT '1',
                "order_id" uuid,
                "merged_into" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_cart_carts_status" CHECK (status IN ('open', 'converted', 'merged')),
                CONSTRAINT "PK_b5f695a59f5ebb50af3c8160816" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_cart_carts_open_token" ON "cart"."carts" ("token_hash")
            WHERE status = 'open'
                AND token_hash IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_cart_carts_open_customer" ON "cart"."carts" ("customer_id")
            WHERE status = 'open'
                AND customer_id IS NOT NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "cart"."UQ_cart_carts_open_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "cart"."UQ_cart_carts_open_token"
        `);
        await queryRunner.query(`
            DROP TABLE "cart"."carts"
        `);
    }

}
