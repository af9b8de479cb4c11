import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ScheduledPurge } from '../queue/scheduled-purge.js';
import { IdempotencyRepository } from './idempotency.repository.js';

export const IDEMPOTENCY_PURGE_QUEUE = 'idempotency-purge';
const BATCH = 10_000;

/** Deletes keys past IDEMPOTENCY_KEY_TTL_HOURS, hourly. */
@Processor(IDEMPOTENCY_PURGE_QUEUE)
export class IdempotencyPurgeProcessor extends ScheduledPurge {
  constructor(
    private readonly keys: IdempotencyRepository,
    @InjectQueue(IDEMPOTENCY_PURGE_QUEUE) queue: Queue,
  ) {
    super(queue, 'purge-expired-keys', 60 * 60 * 1000);
  }

  protected deleteBatch(): Promise<number> {
    return this.keys.purgeExpired(BATCH);
  }
}
