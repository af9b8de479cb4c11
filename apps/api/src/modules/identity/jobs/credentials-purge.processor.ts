import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BoundedWorkerHost } from '#platform';
import { SessionsRepository } from '../sessions.repository.js';

export const CREDENTIALS_PURGE_QUEUE = 'identity-credentials-purge';
export const CREDENTIALS_PURGE_SCHEDULER_ID = 'purge-expired-credentials';
const EVERY_MS = 60 * 60 * 1000;
/** A week past expiry: long enough that reuse of a used refresh token is still recognised. */
export const KEEP_AFTER_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;
const BATCH = 5_000;

/** Deletes refresh and password-reset tokens a week past their expiry, hourly (one run per interval across instances). */
@Processor(CREDENTIALS_PURGE_QUEUE)
export class CredentialsPurgeProcessor extends BoundedWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('CredentialsPurge');

  constructor(
    private readonly sessions: SessionsRepository,
    @InjectQueue(CREDENTIALS_PURGE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Not awaited: an unreachable queue must not hold boot; every instance upserts the same scheduler.
    this.queue
      .upsertJobScheduler(CREDENTIALS_PURGE_SCHEDULER_ID, { every: EVERY_MS }, { name: 'purge', opts: { removeOnComplete: 100, removeOnFail: 100 } })
      .catch((error: unknown) => this.logger.warn(`credentials purge not scheduled (retried at the next start): ${String(error)}`));
  }

  async process(): Promise<{ purged: number }> {
    return { purged: await this.purge() };
  }

  /** In batches, so one run never holds a long transaction. */
  async purge(): Promise<number> {
    let purged = 0;
    for (let batch = await this.sessions.purgeExpired(KEEP_AFTER_EXPIRY_MS, BATCH); batch > 0; batch = await this.sessions.purgeExpired(KEEP_AFTER_EXPIRY_MS, BATCH)) purged += batch;
    return purged;
  }
}
