import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, OncePerWindow } from '#platform';
import { EXPIRY_GRACE_MS, EXPIRY_JOB_OPTIONS, expiryJobId, expiryWindowOf, RESERVATION_EXPIRY_QUEUE, SWEEP_SCHEDULER_ID } from './reservation-expiry.queue.js';

/** Enqueues the expiry of a reservation's window (see EXPIRY_WINDOW_MS), and keeps the sweeper scheduled. */
@Injectable()
export class ReservationExpiryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReservationExpiryScheduler');
  private readonly windows = new OncePerWindow();

  constructor(
    @InjectQueue(RESERVATION_EXPIRY_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Idempotent, so every instance upserts it at boot; not awaited, so an unreachable queue cannot hold boot.
    const every = this.config.get('INVENTORY_SWEEP_EVERY_MS');
    this.queue
      .upsertJobScheduler(SWEEP_SCHEDULER_ID, { every }, { name: 'sweep', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } })
      .catch((error: unknown) => this.logger.error(`reservation sweeper not scheduled: ${String(error)}`));
  }

  /**
   * Best effort: a job that cannot be enqueued is left to the sweeper, never fails the reservation
   * (and the next reservation of that window tries again). Other instances add the same job id,
   * which BullMQ keeps once.
   */
  async expireAt(reservationId: string, expiresAt: Date): Promise<void> {
    const windowEnd = expiryWindowOf(expiresAt);
    try {
      await this.windows.run(windowEnd, () =>
        this.queue.add('expire-due', { dueBy: new Date(windowEnd).toISOString() }, { ...EXPIRY_JOB_OPTIONS, delay: Math.max(0, windowEnd + EXPIRY_GRACE_MS - Date.now()), jobId: expiryJobId(windowEnd) }),
      );
    } catch (error) {
      this.logger.warn(`expiry job for reservation ${reservationId} not enqueued (the sweeper will release it): ${String(error)}`);
    }
  }
}
