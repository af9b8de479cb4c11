import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics.registry.js';
import { QueueMetrics } from './queue.metrics.js';

/** `GET /metrics` and the registry; HTTP metrics are recorded by a Fastify hook set up in bootstrap. */
@Global()
@Module({ controllers: [MetricsController], providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsModule {}

/** Pool and queue gauges, for apps that have a database and queues. */
@Module({ imports: [DiscoveryModule], providers: [DatabasePoolMetrics, QueueMetrics] })
export class BackendMetricsModule {}
