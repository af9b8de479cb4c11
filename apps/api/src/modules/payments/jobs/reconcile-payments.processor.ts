import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, BoundedWorkerHost } from '#platform';
import { PaymentsReconciler, type ReconcileReport } from './payments-reconciler.js';

export const PAYMENTS_RECONCILE_QUEUE = 'payments-reconcile';

/** Runs the reconciler every PAYMENTS_RECONCILE_EVERY_MS (a BullMQ job scheduler: one run per interval across instances). */
@Processor(PAYMENTS_RECONCILE_QUEUE)
export class ReconcilePaymentsProcessor extends BoundedWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReconcilePayments');

  constructor(
    private readonly reconciler: PaymentsReconciler,
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

  process(): Promise<ReconcileReport> {
    return this.reconciler.run(this.config.get('PAYMENTS_RECONCILE_AFTER_MS'));
  }
}
