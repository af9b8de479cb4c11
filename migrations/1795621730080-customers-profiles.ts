import { MigrationInterface, QueryRunner } from "typeorm";

export class CustomersProfiles1795621730080 implements MigrationInterface {
    name = 'CustomersProfiles1795621730080'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "customers"."customers" (
                "id" uuid NOT NULL,
                "email" character varying(254) NOT NULL,
                "name" character varying(100) NOT NULL,
                "phone" character varying(32),
                "marketing_consent" boolean NOT NULL DEFAULT false,
                "marketing_consent_updated_at" TIMESTAMP WITH TIME ZONE,
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_133ec679a801fab5e070f73d3ea" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_customers_customers_email" ON "customers"."customers" ("email")
        `);
        // By hand: TypeORM cannot declare an operator class (the entity marks it synchronize: false).
        // For the admin search, ILIKE '%q%' on email or name; pg_trgm comes from the platform migration.
        await queryRunner.query(`
            CREATE INDEX "IDX_customers_customers_search_trgm" ON "customers"."customers"
            USING gin ("email" gin_trgm_ops, "name" gin_trgm_ops)
        `);
        await queryRunner.query(`
            CREATE TABLE "customers"."addresses" (
                "id" uuid NOT NULL,
                "customer_id" uuid NOT NULL,
                "first_name" character varying(100) NOT NULL,
                "last_name" character varying(100) NOT NULL,
                "company" character varying(100),
                "line1" character varying(200) NOT NULL,
                "line2" character varying(200),
                "city" character varying(100) NOT NULL,
                "region" character varying(100),
                "postal_code" character varying(20) NOT NULL,
                "country_code" character(2) NOT NULL,
                "phone" character varying(32),
                "is_default_shipping" boolean NOT NULL DEFAULT false,
                "is_default_billing" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_745d8f43d3af10ab8247465e450" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_customers_addresses_customer" ON "customers"."addresses" ("customer_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_customers_addresses_default_billing" ON "customers"."addresses" ("customer_id")
            WHERE "is_default_billing"
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_customers_addresses_default_shipping" ON "customers"."addresses" ("customer_id")
            WHERE "is_default_shipping"
        `);
        await queryRunner.query(`
            ALTER TABLE "customers"."addresses"
            ADD CONSTRAINT "FK_customers_addresses_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"."customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "customers"."addresses" DROP CONSTRAINT "FK_customers_addresses_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "customers"."UQ_customers_addresses_default_shipping"
        `);
        await queryRunner.query(`
            DROP INDEX "customers"."UQ_customers_addresses_default_billing"
        `);
        await queryRunner.query(`
            DROP INDEX "customers"."IDX_customers_addresses_customer"
        `);
        await queryRunner.query(`
            DROP TABLE "customers"."addresses"
        `);
        await queryRunner.query(`
            DROP INDEX "customers"."IDX_customers_customers_search_trgm"
        `);
        await queryRunner.query(`
            DROP INDEX "customers"."UQ_customers_customers_email"
        `);
        await queryRunner.query(`
            DROP TABLE "customers"."customers"
        `);
    }

}
