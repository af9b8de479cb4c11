import { WorkerHost } from '@nestjs/bullmq';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';

/** How long a worker may take to finish its active jobs at shutdown before it is closed by force. */
export const WORKER_CLOSE_GRACE_MS = 2000;

/**
 * A BullMQ processor that cannot hold shutdown open: it closes its worker gracefully (active jobs
 * finish) but forces the close after a grace period, e.g. when Redis is unreachable and a graceful
 * close would wait for it forever. A job cut short is picked up again as stalled: processors must
 * be idempotent anyway.
 */
export abstract class BoundedWorkerHost<T extends Worker = Worker> extends WorkerHost<T> implements BeforeApplicationShutdown {
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker as Worker | undefined;
    if (!worker) return;
    // Let active jobs finish for a while, then close by force: a graceful close() cannot be
    // upgraded once started, and with Redis unreachable it never ends.
    let timer: NodeJS.Timeout | undefined;
    // whenCurrentJobsFinished is BullMQ's own wait for active jobs (not in its public typings).
    const waitForJobs = (worker as unknown as { whenCurrentJobsFinished?: (reconnect: boolean) => Promise<void> }).whenCurrentJobsFinished;
    const drained = Promise.resolve(waitForJobs?.call(worker, false)).catch(() => undefined);
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, WORKER_CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    await Promise.race([worker.close(true).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, WORKER_CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
  }
}
