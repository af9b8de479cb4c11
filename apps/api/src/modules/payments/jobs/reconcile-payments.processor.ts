import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, BoundedWorkerHost } from '#platform';
import { PaymentsRepository } from '../payments.repository.js';
import { PaymentsReconciler, type ReconcileReport } from './payments-reconciler.js';

export const PAYMENTS_RECONCILE_QUEUE = 'payments-reconcile';
/** Webhook event ids are kept this long for deduplication, then forgotten (at most once an hour per instance). */
export const WEBHOOK_EVENTS_KEPT_DAYS = 30;
const PURGE_EVERY_MS = 3_600_000;

/** Runs the reconciler every PAYMENTS_RECONCILE_EVERY_MS (a BullMQ job scheduler: one run per interval across instances), and forgets old webhook events. */
@Processor(PAYMENTS_RECONCILE_QUEUE)
export class ReconcilePaymentsProcessor extends BoundedWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReconcilePayments');
  private purgedAt = 0;

  constructor(
    private readonly reconciler: PaymentsReconciler,
    private readonly payments: PaymentsRepository,
    private readonly config: AppConfig,
    @InjectQueue(PAYMENTS_RECONCILE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.get('PAYMENTS_RECONCILE_EVERY_MS');
    await this.queue.upsertJobScheduler('reconcile-payments', { every }, { name: 'reconcile' }).catch((error: unknown) => {
      this.logger.warn(`reconcile schedule not set (retried at the next start): ${String(error)}`);
    });
  }

  async process(): Promise<ReconcileReport> {
    const report = await this.reconciler.run(this.config.get('PAYMENTS_RECONCILE_AFTER_MS'));
    if (Date.now() - this.purgedAt > PURGE_EVERY_MS) {
      this.purgedAt = Date.now();
      const purged = await this.payments.purgeWebhookEvents(WEBHOOK_EVENTS_KEPT_DAYS);
      if (purged) this.logger.log(`forgot ${purged} webhook events older than ${WEBHOOK_EVENTS_KEPT_DAYS} days`);
    }
    return report;
  }
}
