import { MigrationInterface, QueryRunner } from "typeorm";

export class CatalogProducts1795625294764 implements MigrationInterface {
    name = 'CatalogProducts1795625294764'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "catalog"."brands" (
                "id" uuid NOT NULL,
                "slug" character varying(120) NOT NULL,
                "name" character varying(120) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b0c437120b624da1034a81fc561" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_catalog_brands_slug" ON "catalog"."brands" ("slug")
        `);
        await queryRunner.query(`
            CREATE TABLE "catalog"."categories" (
                "id" uuid NOT NULL,
                "parent_id" uuid,
                "slug" character varying(120) NOT NULL,
                "name" character varying(120) NOT NULL,
                "position" integer NOT NULL DEFAULT '0',
                "path" text COLLATE "C" NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_24dbc6126a28ff948da33e97d3b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_catalog_categories_slug" ON "catalog"."categories" ("slug")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_catalog_categories_path" ON "catalog"."categories" ("path")
        `);
        await queryRunner.query(`
            CREATE TABLE "catalog"."product_categories" (
                "product_id" uuid NOT NULL,
                "category_id" uuid NOT NULL,
                CONSTRAINT "PK_54f2e1dbf14cfa770f59f0aac8f" PRIMARY KEY ("product_id", "category_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_catalog_product_categories_category" ON "catalog"."product_categories" ("category_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "catalog"."product_images" (
                "id" uuid NOT NULL,
                "product_id" uuid NOT NULL,
                "url" character varying(2048) NOT NULL,
                "alt" character varying(300) NOT NULL DEFAULT '',
                "position" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_1974264ea7265989af8392f63a1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_catalog_product_images_product" ON "catalog"."product_images" ("product_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "catalog"."slug_redirects" (
                "old_slug" character varying(160) NOT NULL,
                "product_id" uuid NOT NULL,
                CONSTRAINT "PK_1900b4a8c0fdcdc6f597986b5f4" PRIMARY KEY ("old_slug")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "catalog"."products" (
                "id" uuid NOT NULL,
                "slug" character varying(160) NOT NULL,
                "name" character varying(200) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "brand_id" uuid,
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "attributes" jsonb NOT NULL DEFAULT '{}',
                "price_min" integer,
                "price_max" integer,
                "currency" character(3) NOT NULL DEFAULT 'EUR',
                "in_stock" boolean NOT NULL DEFAULT false,
                "rating_average" real,
                "rating_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_catalog_products_slug" ON "catalog"."products" ("slug")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_catalog_products_brand" ON "catalog"."products" ("brand_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_catalog_products_listing" ON "catalog"."products" ("status", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "catalog"."variants" (
                "id" uuid NOT NULL,
                "product_id" uuid NOT NULL,
                "sku" character varying(64) NOT NULL,
                "options" jsonb NOT NULL DEFAULT '{}',
                "price_amount" integer NOT NULL,
                "currency" character(3) NOT NULL,
                "compare_at_amount" integer,
                "weight_grams" integer,
                "barcode" character varying(64),
                "in_stock" boolean NOT NULL DEFAULT true,
                "position" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_672d13d1a6de0197f20c6babb5e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_catalog_variants_product" ON "catalog"."variants" ("product_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_catalog_variants_sku" ON "catalog"."variants" ("sku")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "catalog"."UQ_catalog_variants_sku"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."IDX_catalog_variants_product"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."variants"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."IDX_catalog_products_listing"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."IDX_catalog_products_brand"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."UQ_catalog_products_slug"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."products"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."slug_redirects"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."IDX_catalog_product_images_product"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."product_images"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."IDX_catalog_product_categories_category"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."product_categories"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."IDX_catalog_categories_path"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."UQ_catalog_categories_slug"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."categories"
        `);
        await queryRunner.query(`
            DROP INDEX "catalog"."UQ_catalog_brands_slug"
        `);
        await queryRunner.query(`
            DROP TABLE "catalog"."brands"
        `);
    }

}
