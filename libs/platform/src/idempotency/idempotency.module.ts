import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyRow } from './idempotency-key.entity.js';
import { IDEMPOTENCY_PURGE_QUEUE, IdempotencyPurgeProcessor } from './idempotency-purge.processor.js';
import { IdempotencyResponseHook } from './idempotency-response.hook.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** `Idempotency-Key` on every POST of the app (required where `@RequireIdempotencyKey()`). */
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKeyRow]), BullModule.registerQueue({ name: IDEMPOTENCY_PURGE_QUEUE })],
  providers: [IdempotencyRepository, IdempotencyResponseHook, IdempotencyPurgeProcessor, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
