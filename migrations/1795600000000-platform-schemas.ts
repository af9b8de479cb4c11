import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One schema per bounded context (no foreign keys or joins across them), plus the extensions search needs. */
const CONTEXT_SCHEMAS = [
  'identity',
  'customers',
  'catalog',
  'search',
  'inventory',
  'pricing',
  'cart',
  'orders',
  'payments',
  'shipping',
  'notifications',
  'reviews',
];

export class PlatformSchemas1795600000000 implements MigrationInterface {
  name = 'PlatformSchemas1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    for (const schema of [...CONTEXT_SCHEMAS, 'platform']) {
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const schema of [...CONTEXT_SCHEMAS, 'platform'].reverse()) {
      await queryRunner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await queryRunner.query('DROP EXTENSION IF EXISTS unaccent');
    await queryRunner.query('DROP EXTENSION IF EXISTS pg_trgm');
  }
}
