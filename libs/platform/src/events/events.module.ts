import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventPublisher } from './event-publisher.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { OutboxRelay } from './outbox.relay.js';

/** Transactional outbox: `EventPublisher` for writers, `@OnDomainEvent(name)` for consumers. */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: false }), TypeOrmModule.forFeature([OutboxEvent])],
  providers: [EventPublisher, OutboxRelay],
  exports: [EventPublisher],
})
export class EventsModule {}
