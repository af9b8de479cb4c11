import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { systemContext } from '#contracts';
import { BoundedWorkerHost } from '#platform';
import { ReservationsService } from '../reservations.service.js';
import { RESERVATION_EXPIRY_QUEUE, type ReservationExpiryJob } from './reservation-expiry.queue.js';

/**
 * Every job is idempotent: a reservation already settled, or not yet due, is left as it is. A
 * window's job releases whatever is due when it runs (the sweep's work, at the window's end).
 */
@Processor(RESERVATION_EXPIRY_QUEUE, { concurrency: 4 })
export class ReservationExpiryProcessor extends BoundedWorkerHost {
  constructor(private readonly reservations: ReservationsService) {
    super();
  }

  async process(job: Job<ReservationExpiryJob['data'], unknown, ReservationExpiryJob['name']>): Promise<unknown> {
    const ctx = systemContext(`inventory-expiry:${job.id}`);
    if (job.name === 'expire') return { expired: await this.reservations.expire(ctx, (job.data as { reservationId: string }).reservationId) };
    return { expired: await this.reservations.sweep(ctx) };
  }
}
