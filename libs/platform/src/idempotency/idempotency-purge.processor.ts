import { InjectQueue, Processor } from '@nestjs/bullmq';
import { type OnApplicationBootstrap, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BoundedWorkerHost } from '../queue/bounded-worker-host.js';
import { IdempotencyRepository } from './idempotency.repository.js';

export const IDEMPOTENCY_PURGE_QUEUE = 'idempotency-purge';
const EVERY_MS = 60 * 60 * 1000;
const BATCH = 10_000;

/** Deletes keys past IDEMPOTENCY_KEY_TTL_HOURS, hourly (a BullMQ job scheduler: one run per interval across instances). */
@Processor(IDEMPOTENCY_PURGE_QUEUE)
export class IdempotencyPurgeProcessor extends BoundedWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('IdempotencyPurge');

  constructor(
    private readonly keys: IdempotencyRepository,
    @InjectQueue(IDEMPOTENCY_PURGE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('purge-expired-keys', { every: EVERY_MS }, { name: 'purge' }).catch((error: unknown) => {
      this.logger.warn(`purge schedule not set (retried at the next start): ${String(error)}`);
    });
  }

  async process(): Promise<{ purged: number }> {
    return { purged: await this.purge() };
  }

  /** In batches, so one run never holds a long transaction. */
  async purge(): Promise<number> {
    let purged = 0;
    for (let batch = await this.keys.purgeExpired(BATCH); batch > 0; batch = await this.keys.purgeExpired(BATCH)) purged += batch;
    return purged;
  }
}
