import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ScheduledPurge } from '#platform';
import { SessionsRepository } from '../sessions.repository.js';

export const CREDENTIALS_PURGE_QUEUE = 'identity-credentials-purge';
/** A week past expiry: long enough that reuse of a used refresh token is still recognised. */
export const KEEP_AFTER_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;
const BATCH = 5_000;

/** Deletes refresh and password-reset tokens a week past their expiry, hourly. */
@Processor(CREDENTIALS_PURGE_QUEUE)
export class CredentialsPurgeProcessor extends ScheduledPurge {
  constructor(
    private readonly sessions: SessionsRepository,
    @InjectQueue(CREDENTIALS_PURGE_QUEUE) queue: Queue,
  ) {
    super(queue, 'purge-expired-credentials', 60 * 60 * 1000);
  }

  protected deleteBatch(): Promise<number> {
    return this.sessions.purgeExpired(KEEP_AFTER_EXPIRY_MS, BATCH);
  }
}
