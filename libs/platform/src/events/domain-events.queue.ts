import type { JobsOptions } from 'bullmq';

/** The BullMQ queue the outbox relay publishes committed events to (OUTBOX_TRANSPORT=bullmq). */
export const DOMAIN_EVENTS_QUEUE = 'domain-events';

const HOUR_S = 3600;

/**
 * 12 attempts at 1 s, 2 s, 4 s, ... span about an hour, like the in-process path's capped backoff;
 * a job that still fails stays visible (queue_jobs{queue="domain-events",state="failed"}) for a week.
 * Completed jobs are kept a day (at most 10,000) so a re-published outbox row finds its job and adds none (jobId).
 */
export const DOMAIN_EVENT_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * HOUR_S, count: 10_000 },
  removeOnFail: { age: 7 * 24 * HOUR_S, count: 10_000 },
} as const satisfies JobsOptions;
