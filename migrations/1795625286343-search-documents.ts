import { MigrationInterface, QueryRunner } from "typeorm";

export class SearchDocuments1795625286343 implements MigrationInterface {
    name = 'SearchDocuments1795625286343'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "search"."documents" (
                "product_id" uuid NOT NULL,
                "slug" character varying(200) NOT NULL,
                "name" character varying(300) NOT NULL,
                "description" text NOT NULL,
                "brand_slug" character varying(200),
                "brand_name" character varying(300),
                "categories" jsonb NOT NULL,
                "category_slugs" text array NOT NULL,
                "price_min" integer NOT NULL,
                "price_max" integer NOT NULL,
                "currency" character(3) NOT NULL,
                "in_stock" boolean NOT NULL,
                "attributes" jsonb NOT NULL,
                "rating" double precision,
                "image_url" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "search_vector" tsvector NOT NULL,
                "indexed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e635b7a94b5ea8edb6f30dbd945" PRIMARY KEY ("product_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_created_at" ON "search"."documents" ("created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "search"."terms" (
                "term" character varying(100) NOT NULL,
                CONSTRAINT "PK_5aeb741c76d36aba497de259dd9" PRIMARY KEY ("term")
            )
        `);
        // By hand: GIN indexes TypeORM cannot declare (the entities mark them synchronize: false).
        // Full text, category and attribute filters, and pg_trgm for suggestions and "did you mean".
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_vector" ON "search"."documents" USING gin ("search_vector")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_name_trgm" ON "search"."documents" USING gin ("name" gin_trgm_ops)
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_category_slugs" ON "search"."documents" USING gin ("category_slugs")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_attributes" ON "search"."documents" USING gin ("attributes" jsonb_path_ops)
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_terms_trgm" ON "search"."terms" USING gin ("term" gin_trgm_ops)
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "search"."terms"
        `);
        await queryRunner.query(`
            DROP TABLE "search"."documents"
        `);
    }

}
