import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CorePlatformModule, type PlatformOptions } from '#platform';
import { ProxyHealthController } from './health/proxy-health.controller.js';

@Module({})
export class ProxyModule {
  static register(options: PlatformOptions): DynamicModule {
    return {
      module: ProxyModule,
      imports: [CorePlatformModule.forRoot(options), TerminusModule.forRoot({ logger: false })],
      controllers: [ProxyHealthController],
    };
  }
}
