import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { redactLogRecord } from './log-redaction.js';

const SENSITIVE_QUERY = /([?&](?:token|access_token|refresh_token|password|secret|key|signature)=)[^&]*/gi;

export function maskUrl(url: string): string {
  return url.replace(SENSITIVE_QUERY, '$1[Redacted]');
}

/** The app's pino instance: JSON lines, secrets redacted. Request lines come from `requestLogHook`. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export function createRootLogger(level: string, stream?: DestinationStream): Pino {
  return pino({ level, formatters: { log: redactLogRecord } }, stream ?? pino.destination({ sync: false }));
}

@Module({})
export class LoggingModule {
  /**
   * nestjs-pino serves as Nest's logger. Its pino-http middleware is not mounted: the request line
   * is written by a Fastify hook instead (see http/request-hooks.ts), which costs a fraction of
   * a per-request child logger and middie middleware on the hot path. `stream` lets tests read lines.
   */
  static forRoot(stream?: DestinationStream): DynamicModule {
    const rootLogger = {
      provide: ROOT_LOGGER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRootLogger(config.get('LOG_LEVEL'), stream),
    };
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          providers: [rootLogger],
          inject: [ROOT_LOGGER],
          useFactory: (logger: Pino) => ({ pinoHttp: { logger }, forRoutes: [] }),
        }),
      ],
      providers: [rootLogger],
      exports: [ROOT_LOGGER],
    };
  }
}
