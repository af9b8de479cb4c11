import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { systemContext } from '#contracts';
import { BoundedWorkerHost } from '#platform';
import { OrderExpiry } from './order-expiry.js';
import { ORDER_EXPIRY_QUEUE, type OrderExpiryJob } from './order-expiry.queue.js';

/** Every job is idempotent: an order no longer pending, or not yet due, is left as it is. */
@Processor(ORDER_EXPIRY_QUEUE, { concurrency: 4 })
export class OrderExpiryProcessor extends BoundedWorkerHost {
  constructor(private readonly expiry: OrderExpiry) {
    super();
  }

  async process(job: Job<OrderExpiryJob['data'], unknown, OrderExpiryJob['name']>): Promise<unknown> {
    const ctx = systemContext(`orders-expiry:${job.id}`);
    if (job.name === 'check-placed') {
      const { placedFrom, placedTo } = job.data as { placedFrom: string; placedTo: string };
      return { checked: await this.expiry.checkPlaced(ctx, new Date(placedFrom), new Date(placedTo)) };
    }
    if (job.name === 'check') return { outcome: await this.expiry.check(ctx, (job.data as { orderId: string }).orderId) };
    return { checked: await this.expiry.sweep(ctx) };
  }
}
