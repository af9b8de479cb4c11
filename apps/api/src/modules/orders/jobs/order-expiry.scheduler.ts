import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, OncePerWindow } from '#platform';
import { CHECK_GRACE_MS, CHECK_WINDOW_MS, checkPlacedJobId, ORDER_EXPIRY_JOB_OPTIONS, ORDER_EXPIRY_QUEUE, ORDER_SWEEP_SCHEDULER_ID } from './order-expiry.queue.js';

/** Enqueues the check of an order whose payment is not settled, and keeps the sweeper scheduled. */
@Injectable()
export class OrderExpiryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('OrderExpiryScheduler');
  private readonly windows = new OncePerWindow();

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

  /** The check of the orders placed in `placedAt`'s window, `dueAfterMs` after the window ends. Best effort, as checkLater. */
  async checkPlacedWindow(orderId: string, placedAt: Date, dueAfterMs: number): Promise<void> {
    const { start, end } = OncePerWindow.of(placedAt, CHECK_WINDOW_MS);
    try {
      await this.windows.run(end, () =>
        this.queue.add(
          'check-placed',
          { placedFrom: new Date(start).toISOString(), placedTo: new Date(end).toISOString() },
          { ...ORDER_EXPIRY_JOB_OPTIONS, delay: Math.max(0, end + dueAfterMs + CHECK_GRACE_MS - Date.now()), jobId: checkPlacedJobId(end) },
        ),
      );
    } catch (error) {
      this.logger.warn(`payment check of order ${orderId} not enqueued (the sweeper will do it): ${String(error)}`);
    }
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
