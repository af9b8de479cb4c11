import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Logger, Optional } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { type OptionalRedis, REDIS } from '../redis/redis.module.js';

/** How long a worker may take to finish its active jobs at shutdown before it is closed by force. */
export const WORKER_CLOSE_GRACE_MS = 2000;

/**
 * A BullMQ processor that cannot hold shutdown open: it closes its worker gracefully (active jobs
 * finish) but forces the close after a grace period, e.g. when Redis is unreachable and a graceful
 * close would wait for it forever. A job cut short is picked up again as stalled: processors must
 * be idempotent anyway.
 */
export abstract class BoundedWorkerHost<T extends Worker = Worker> extends WorkerHost<T> implements BeforeApplicationShutdown {
  /** The app's Redis client, whose state tells whether Redis answers right now (property injection: subclasses keep their constructors). */
  @Optional() @Inject(REDIS) private readonly redis?: OptionalRedis;

  /**
   * Without an 'error' listener BullMQ prints every connection error of the worker to the console
   * while Redis is down: it goes to the log instead, once per error, as a warning.
   */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    new Logger(this.constructor.name).warn(`worker: ${error.message}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker as Worker | undefined;
    if (!worker) return;
    // Let active jobs finish for a while, then close by force: a graceful close() cannot be
    // upgraded once started, and with Redis unreachable it never ends. Pausing stops fetching and
    // resolves once the active jobs are done: at once for an idle worker. (Waiting for the jobs
    // without pausing kept the fetch loop alive, so every worker cost the whole grace period.)
    let timer: NodeJS.Timeout | undefined;
    // With Redis gone no job can finish (it could not be marked done): close by force at once,
    // or every worker of the app would spend its grace period in turn.
    if (this.redis?.status !== 'reconnecting' && this.redis?.status !== 'end' && (await redisAnswering(worker))) {
      const drained = worker.pause().catch(() => undefined);
      await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, WORKER_CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
    }
    await Promise.race([worker.close(true).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, WORKER_CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
  }
}

/** The worker's connection is up (its backend says ready within 100 ms). */
async function redisAnswering(worker: Worker): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    worker.waitUntilReady().then(() => true, () => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(resolve, 100, false))),
  ]);
  clearTimeout(timer);
  return ready;
}
