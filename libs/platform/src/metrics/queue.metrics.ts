import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Job counts of every BullMQ queue registered in the app, found through Nest's discovery. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    const queues = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is Queue => instance instanceof Queue);
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.metrics.registry],
      async collect() {
        await Promise.all(
          queues.map(async (queue) => {
            const counts = await queue.getJobCounts(...STATES).catch(() => null);
            if (!counts) return;
            for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }
}
