import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#platform';
import { ORDER_EXPIRY_JOB_OPTIONS, ORDER_EXPIRY_QUEUE, ORDER_SWEEP_SCHEDULER_ID } from './order-expiry.queue.js';

/** Enqueues the check of an order whose payment is not settled, and keeps the sweeper scheduled. */
@Injectable()
export class OrderExpiryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('OrderExpiryScheduler');

  constructor(
    @InjectQueue(ORDER_EXPIRY_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: an unreachable queue must not hold boot; every instance upserts the same scheduler.
    const every = this.config.get('INVENTORY_SWEEP_EVERY_MS');
    this.queue
      .upsertJobScheduler(ORDER_SWEEP_SCHEDULER_ID, { every }, { name: 'sweep', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } })
      .catch((error: unknown) => this.logger.error(`pending-order sweeper not scheduled: ${String(error)}`));
  }

  /** Best effort: a check that cannot be enqueued is the sweeper's. */
  async checkLater(orderId: string, delayMs: number): Promise<void> {
    try {
      await this.queue.add('check', { orderId }, { ...ORDER_EXPIRY_JOB_OPTIONS, delay: Math.max(0, delayMs), jobId: `check-${orderId}-${Date.now() + delayMs}` });
    } catch (error) {
      this.logger.warn(`payment check of order ${orderId} not enqueued (the sweeper will do it): ${String(error)}`);
    }
  }
}
