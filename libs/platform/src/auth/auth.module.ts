import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config.js';
import { AccessRevocations } from './access-revocations.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtKeySet } from './jwt-keys.js';
import { JwtStrategy } from './jwt.strategy.js';
import { RolesGuard } from './roles.guard.js';

/**
 * Bearer authentication for every route (closed unless `@Public()`), then `@Roles()`. Tokens are
 * verified without a lookup; AccessRevocations refuses those whose account lost access since.
 * Exports the key set (identity signs with it, and publishes its public half as JWKS) and the
 * revocations (identity records changes there).
 */
@Global()
@Module({
  imports: [PassportModule],
  providers: [
    { provide: JwtKeySet, inject: [AppConfig], useFactory: (config: AppConfig) =>
        JwtKeySet.fromEnv({
          JWT_SIGNING_KEY: config.get('JWT_SIGNING_KEY'),
          JWT_SIGNING_KEY_FILE: config.get('JWT_SIGNING_KEY_FILE'),
          JWT_VERIFY_KEY_FILES: config.get('JWT_VERIFY_KEY_FILES'),
        }),
    },
    JwtStrategy,
    AccessRevocations,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [JwtKeySet, AccessRevocations],
})
export class AuthModule {}
