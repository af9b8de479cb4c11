import { MigrationInterface, QueryRunner } from "typeorm";

export class SearchFacetKeys1795784437177 implements MigrationInterface {
    name = 'SearchFacetKeys1795784437177'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "search"."documents"
            ADD "facet_keys" text array NOT NULL DEFAULT '{}'
        `);
        // Documents indexed before this column existed get their facet keys from the columns they have.
        await queryRunner.query(`
            UPDATE "search"."documents" d SET "facet_keys" =
                ARRAY(SELECT concat_ws(chr(31), 'c', c->>'slug', c->>'name') FROM jsonb_array_elements(d.categories) c)
                || ARRAY(SELECT concat_ws(chr(31), 'b', d.brand_slug, d.brand_name) WHERE d.brand_slug IS NOT NULL)
                || ARRAY(SELECT concat_ws(chr(31), 'a', a.key, v) FROM jsonb_each(d.attributes) a, jsonb_array_elements_text(a.value) v)
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_price_min" ON "search"."documents" ("price_min")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "search"."IDX_search_documents_price_min"
        `);
        await queryRunner.query(`
            ALTER TABLE "search"."documents" DROP COLUMN "facet_keys"
        `);
    }

}
