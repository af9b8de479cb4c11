import { OnEvent } from '@nestjs/event-emitter';

/**
 * Subscribes a method to an outbox event. Unlike a bare `@OnEvent`, which swallows a listener's
 * error, a failure here reaches the relay, so the event stays in the outbox and is retried.
 */
export const OnDomainEvent = (name: string): MethodDecorator => OnEvent(name, { suppressErrors: false });
