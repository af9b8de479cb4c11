import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

const APP_INTERCEPTOR = Symbol('ficus:idempotency-interceptor');
type Server = Record<typeof APP_INTERCEPTOR, NestInterceptor | undefined>;

/**
 * On every POST handler, once per process (handler metadata is shared by every app built in it):
 * hands the request to the idempotency interceptor of the app that received it.
 */
const ON_POST: NestInterceptor = {
  intercept(context: ExecutionContext, next: CallHandler) {
    const server = context.switchToHttp().getRequest<FastifyRequest>().server as unknown as Server | undefined;
    const own = server?.[APP_INTERCEPTOR];
    return own ? own.intercept(context, next) : next.handle();
  },
};

/**
 * Puts the idempotency interceptor on every POST handler of the app, outermost of the handler's
 * own interceptors, instead of making it global: any interceptor on a route turns Nest's direct
 * handler call into an rxjs pipeline, which on a GET (where keys mean nothing) cost a third of the
 * platform's time per request. The metadata is written while the app's providers are created,
 * before the router reads it at init.
 */
@Injectable()
export class IdempotencyRoutes implements OnModuleInit {
  constructor(
    discovery: DiscoveryService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly interceptor: IdempotencyInterceptor,
  ) {
    for (const { metatype } of discovery.getControllers()) {
      if (typeof metatype !== 'function') continue;
      for (const handler of postHandlersOf(metatype.prototype as object)) {
        const own: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? [];
        if (!own.includes(ON_POST)) Reflect.defineMetadata(INTERCEPTORS_METADATA, [ON_POST, ...own], handler);
      }
    }
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter?.getInstance?.() as Server | undefined;
    if (server) server[APP_INTERCEPTOR] = this.interceptor;
  }
}

function* postHandlersOf(prototype: object): Generator<object> {
  for (let at = prototype; at && at !== Object.prototype; at = Object.getPrototypeOf(at) as object) {
    for (const name of Object.getOwnPropertyNames(at)) {
      const handler = Object.getOwnPropertyDescriptor(at, name)?.value as unknown;
      if (name !== 'constructor' && typeof handler === 'function' && Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST) yield handler;
    }
  }
}
