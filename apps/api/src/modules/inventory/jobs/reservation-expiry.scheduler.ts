import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#platform';
import { EXPIRY_JOB_OPTIONS, RESERVATION_EXPIRY_QUEUE, SWEEP_SCHEDULER_ID } from './reservation-expiry.queue.js';

/** Enqueues a reservation's expiry at its expires_at, and keeps the sweeper scheduled. */
@Injectable()
export class ReservationExpiryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReservationExpiryScheduler');

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

  /** Best effort: a job that cannot be enqueued is left to the sweeper, never fails the reservation. */
  async expireAt(reservationId: string, expiresAt: Date): Promise<void> {
    try {
      const delay = Math.max(0, expiresAt.getTime() - Date.now());
      await this.queue.add('expire', { reservationId }, { ...EXPIRY_JOB_OPTIONS, delay, jobId: `expire-${reservationId}` });
    } catch (error) {
      this.logger.warn(`expiry job for reservation ${reservationId} not enqueued (the sweeper will release it): ${String(error)}`);
    }
  }
}
