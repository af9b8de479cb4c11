import { Processor } from '@nestjs/bullmq';
import { type OnApplicationBootstrap, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Job } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { BoundedWorkerHost } from '../queue/bounded-worker-host.js';
import type { DeliveredEvent } from './domain-event.js';
import { deliverEvent } from './deliver-event.js';
import { DOMAIN_EVENTS_QUEUE } from './domain-events.queue.js';

/**
 * Hands each job of the domain-events queue to this process's `@OnDomainEvent` handlers; a failing
 * handler fails the job, which BullMQ retries with backoff. One job at a time keeps an instance's
 * delivery in outbox order, as the in-process relay does. Only runs with OUTBOX_TRANSPORT=bullmq.
 */
@Processor(DOMAIN_EVENTS_QUEUE, { concurrency: 1, autorun: false })
export class DomainEventsProcessor extends BoundedWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.config.get('OUTBOX_TRANSPORT') !== 'bullmq') return;
    // Not awaited: run() resolves when the worker closes.
    this.worker.run().catch((error: unknown) => this.logger.error(`domain-events worker stopped: ${String(error)}`));
  }

  async process(job: Job<DeliveredEvent>): Promise<void> {
    await deliverEvent(this.emitter, job.data);
  }
}
