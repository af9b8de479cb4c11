import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.js';
import type { Env } from './env.schema.js';

/**
 * The environment, already validated by `loadEnv()` before Nest starts (the HTTP adapter needs some
 * of it first), handed to `@nestjs/config` as its only source so each app instance has its own.
 */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: PlatformConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validatePredefined: false,
          load: [() => ({ ...env })],
        }),
      ],
      providers: [AppConfig],
      exports: [AppConfig],
    };
  }
}
