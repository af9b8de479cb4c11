import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BackendPlatformModule, CorePlatformModule } from '#platform';
import type { TestDatabase } from './database.js';
import { testEnv } from './env.js';

/**
 * A context's persistence under test: the platform (config, PostgreSQL, outbox, cache, queues) on
 * `db`, plus the given imports (e.g. `TypeOrmModule.forFeature([...])`) and providers. No HTTP.
 */
export async function startBackendContext(db: TestDatabase, metadata: Pick<ModuleMetadata, 'imports' | 'providers'>): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [CorePlatformModule.forRoot({ env: testEnv({ DATABASE_URL: db.url }) }), BackendPlatformModule, ...(metadata.imports ?? [])],
    providers: metadata.providers ?? [],
  }).compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}
