import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';

const PROBE_MS = 200;

/**
 * At shutdown, closes by force every queue whose Redis does not answer. Without this,
 * `@nestjs/bullmq` closes each queue with QUIT, which ioredis holds in its offline queue until Redis
 * is back (and BullMQ's `disconnect()` waits for an `end` a reconnecting client never emits): the
 * process would never exit. Queues that answer are left to close gracefully.
 */
@Injectable()
export class QueueShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.config.get('REDIS_URL')) return;
    const queues = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is Queue => instance instanceof Queue);
    await Promise.all(queues.map(async (queue) => (await answers(queue)) || forceClose(queue)));
  }
}

async function answers(queue: Queue): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    queue.count().then(() => true, () => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(resolve, PROBE_MS, false))),
  ]);
  clearTimeout(timer);
  return answered;
}

/** The Redis backend's forced close drops the socket without QUIT; the later graceful close then finds it closed. */
async function forceClose(queue: Queue): Promise<void> {
  const backend = queue.getBackend() as { close?: (force?: boolean) => Promise<void> };
  await backend.close?.(true).catch(() => undefined);
}
