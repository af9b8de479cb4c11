import { MigrationInterface, QueryRunner } from "typeorm";

export class SearchSortIndexes1795784698327 implements MigrationInterface {
    name = 'SearchSortIndexes1795784698327'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_brand_slug" ON "search"."documents" ("brand_slug")
        `);
        // The sorts of SearchDocumentsRepository: rating DESC NULLS LAST, lower(name).
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_rating" ON "search"."documents" ("rating" DESC NULLS LAST)
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_search_documents_name_lower" ON "search"."documents" (lower("name"))
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "search"."IDX_search_documents_name_lower"
        `);
        await queryRunner.query(`
            DROP INDEX "search"."IDX_search_documents_rating"
        `);
        await queryRunner.query(`
            DROP INDEX "search"."IDX_search_documents_brand_slug"
        `);
    }

}
