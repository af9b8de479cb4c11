import { MigrationInterface, QueryRunner } from "typeorm";

export class PricingPromotions1795792516237 implements MigrationInterface {
    name = 'PricingPromotions1795792516237'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "pricing"`);
        await queryRunner.query(`
            CREATE TABLE "pricing"."customer_group_members" (
                "customer_id" uuid NOT NULL,
                "group_name" character varying(64) NOT NULL,
                "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ba990c2adf8b236686e2295e405" PRIMARY KEY ("customer_id", "group_name")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "pricing"."ordering_customers" (
                "customer_id" uuid NOT NULL,
                "first_order_id" uuid NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3e6a2bd78e74aaf98f60e8fc9ac" PRIMARY KEY ("customer_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "pricing"."promotions" (
                "id" uuid NOT NULL,
                "name" character varying(120) NOT NULL,
                "code" character varying(64),
                "kind" character varying(24) NOT NULL,
                "percentage" integer,
                "amount" integer,
                "currency" character(3),
                "target_skus" character varying(64) array NOT NULL DEFAULT '{}',
                "target_category_ids" uuid array NOT NULL DEFAULT '{}',
                "target_brand_ids" uuid array NOT NULL DEFAULT '{}',
                "min_subtotal" integer,
                "customer_group" character varying(64),
                "first_order_only" boolean NOT NULL DEFAULT false,
                "starts_at" TIMESTAMP WITH TIME ZONE,
                "ends_at" TIMESTAMP WITH TIME ZONE,
                "usage_limit" integer,
                "per_customer_limit" integer,
                "uses" integer NOT NULL DEFAULT '0',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_pricing_promotions_window" CHECK (
                    starts_at IS NULL
                    OR ends_at IS NULL
                    OR ends_at > starts_at
                ),
                CONSTRAINT "CHK_pricing_promotions_amount" CHECK (
                    amount IS NULL
                    OR amount > 0
                ),
                CONSTRAINT "CHK_pricing_promotions_percentage" CHECK (
                    percentage IS NULL
                    OR percentage BETWEEN 1 AND 100
                ),
                CONSTRAINT "CHK_pricing_promotions_uses" CHECK (
                    uses >= 0
                    AND (
                        usage_limit IS NULL
                        OR uses <= usage_limit
                    )
                ),
                CONSTRAINT "PK_380cecbbe3ac11f0e5a7c452c34" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_pricing_promotions_automatic" ON "pricing"."promotions" ("created_at")
            WHERE code IS NULL
                AND active
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_pricing_promotions_code" ON "pricing"."promotions" ("code")
            WHERE code IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "pricing"."redemptions" (
                "id" uuid NOT NULL,
                "promotion_id" uuid NOT NULL,
                "reference" character varying(120) NOT NULL,
                "customer_key" character varying(80),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "released_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_def143ab94376fea5985bb04219" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_pricing_redemptions_reference" ON "pricing"."redemptions" ("reference")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_pricing_redemptions_held" ON "pricing"."redemptions" ("promotion_id", "reference")
            WHERE released_at IS NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "pricing"."customer_uses" (
                "promotion_id" uuid NOT NULL,
                "customer_key" character varying(80) NOT NULL,
                "uses" integer NOT NULL DEFAULT '0',
                CONSTRAINT "CHK_pricing_customer_uses_uses" CHECK (uses >= 0),
                CONSTRAINT "PK_760bed1efe10a545664d58b9dd4" PRIMARY KEY ("promotion_id", "customer_key")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "pricing"."tax_rates" (
                "id" uuid NOT NULL,
                "country_code" character(2) NOT NULL,
                "region" character varying(64),
                "basis_points" integer NOT NULL,
                "name" character varying(80) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_pricing_tax_rates_basis_points" CHECK (
                    basis_points BETWEEN 0 AND 10000
                ),
                CONSTRAINT "PK_41164a748f3dafa373c7e508ca2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_pricing_tax_rates_region" ON "pricing"."tax_rates" ("country_code", "region")
            WHERE region IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_pricing_tax_rates_country" ON "pricing"."tax_rates" ("country_code")
            WHERE region IS NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "pricing"."UQ_pricing_tax_rates_country"
        `);
        await queryRunner.query(`
            DROP INDEX "pricing"."UQ_pricing_tax_rates_region"
        `);
        await queryRunner.query(`
            DROP TABLE "pricing"."tax_rates"
        `);
        await queryRunner.query(`
            DROP TABLE "pricing"."customer_uses"
        `);
        await queryRunner.query(`
            DROP INDEX "pricing"."UQ_pricing_redemptions_held"
        `);
        await queryRunner.query(`
            DROP INDEX "pricing"."IDX_pricing_redemptions_reference"
        `);
        await queryRunner.query(`
            DROP TABLE "pricing"."redemptions"
        `);
        await queryRunner.query(`
            DROP INDEX "pricing"."UQ_pricing_promotions_code"
        `);
        await queryRunner.query(`
            DROP INDEX "pricing"."IDX_pricing_promotions_automatic"
        `);
        await queryRunner.query(`
            DROP TABLE "pricing"."promotions"
        `);
        await queryRunner.query(`
            DROP TABLE "pricing"."ordering_customers"
        `);
        await queryRunner.query(`
            DROP TABLE "pricing"."customer_group_members"
        `);
    }

}
