import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformQueueModule } from '../queue/queue.module.js';
import { DomainEventsProcessor } from './domain-events.processor.js';
import { DOMAIN_EVENTS_QUEUE } from './domain-events.queue.js';
import { EventPublisher } from './event-publisher.js';
import { OutboxBarrier } from './outbox-barrier.entity.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { OutboxRelay } from './outbox.relay.js';

/** Transactional outbox: `EventPublisher` for writers, `@OnDomainEvent(name)` for consumers. */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    EventEmitterModule.forRoot({ wildcard: false }),
    TypeOrmModule.forFeature([OutboxEvent, OutboxBarrier]),
    PlatformQueueModule,
    BullModule.registerQueue({ name: DOMAIN_EVENTS_QUEUE }),
  ],
  providers: [EventPublisher, OutboxRelay, DomainEventsProcessor],
  exports: [EventPublisher],
})
export class EventsModule {}
