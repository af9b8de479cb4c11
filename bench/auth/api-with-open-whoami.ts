// The API plus one route that is GET /auth/whoami without authentication: same guards, pipes,
// hooks and handler body, only @Public(). bench/auth.ts compares the two in one process.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { Caller, Public, runApp } from '#platform';
import { createApiApp } from '../../apps/api/src/api-app.js';

@Public()
@Controller('bench')
class OpenWhoamiController {
  @Get('whoami-open')
  whoami(@Caller() ctx: CallContext) {
    return { userId: ctx.userId ?? '', roles: ctx.roles };
  }
}

@Module({ controllers: [OpenWhoamiController] })
class OpenWhoamiModule {}

runApp({
  name: 'Ficus API (auth bench)',
  create: (env) => createApiApp({ env, extraImports: [OpenWhoamiModule] }),
  port: (env) => env.PORT,
  requires: { requireDatabase: true, requireSigningKey: true },
});
