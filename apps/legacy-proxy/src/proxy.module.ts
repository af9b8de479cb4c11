import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule, CorePlatformModule, type PlatformOptions } from '#platform';
import { ProxyAdminController } from './admin/proxy-admin.controller.js';
import { ProxyRuntime } from './admin/proxy-runtime.js';
import { ProxyHealthController } from './health/proxy-health.controller.js';

@Module({})
export class ProxyModule {
  static register(options: PlatformOptions, runtime: ProxyRuntime): DynamicModule {
    return {
      module: ProxyModule,
      imports: [CorePlatformModule.forRoot(options), TerminusModule.forRoot({ logger: false }), AuthModule],
      controllers: [ProxyHealthController, ProxyAdminController],
      providers: [{ provide: ProxyRuntime, useValue: runtime }],
    };
  }
}
