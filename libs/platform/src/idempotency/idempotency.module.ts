import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyRow } from './idempotency-key.entity.js';
import { IDEMPOTENCY_PURGE_QUEUE, IdempotencyPurgeProcessor } from './idempotency-purge.processor.js';
import { IdempotencyResponseHook } from './idempotency-response.hook.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyRoutes } from './idempotency-routes.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** `Idempotency-Key` on every POST of the app (required where `@RequireIdempotencyKey()`). */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([IdempotencyKeyRow]), BullModule.registerQueue({ name: IDEMPOTENCY_PURGE_QUEUE })],
  providers: [IdempotencyRepository, IdempotencyResponseHook, IdempotencyPurgeProcessor, IdempotencyInterceptor, IdempotencyRoutes],
})
export class IdempotencyModule {}
