import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BoundedWorkerHost } from './bounded-worker-host.js';

/**
 * A BullMQ job scheduler that deletes what has expired, in batches (so no run holds one long
 * transaction) until a batch deletes nothing. The scheduler runs once per interval across
 * instances; every instance upserts it at boot. Subclasses add `@Processor(theirQueue)`.
 */
export abstract class ScheduledPurge extends BoundedWorkerHost implements OnApplicationBootstrap {
  private readonly logger: Logger;

  protected constructor(
    private readonly queue: Queue,
    private readonly schedulerId: string,
    private readonly everyMs: number,
  ) {
    super();
    this.logger = new Logger(new.target.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(this.schedulerId, { every: this.everyMs }, { name: 'purge', opts: { removeOnComplete: 100, removeOnFail: 100 } }).catch((error: unknown) => {
      this.logger.warn(`purge schedule not set (retried at the next start): ${String(error)}`);
    });
  }

  async process(): Promise<{ purged: number }> {
    return { purged: await this.purge() };
  }

  async purge(): Promise<number> {
    let purged = 0;
    for (let batch = await this.deleteBatch(); batch > 0; batch = await this.deleteBatch()) purged += batch;
    return purged;
  }

  /** Deletes one batch of what has expired; returns how many rows went. */
  protected abstract deleteBatch(): Promise<number>;
}
