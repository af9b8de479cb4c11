import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { DeliveredEvent } from './domain-event.js';

export const HANDLER_TIMEOUT_MS = 30_000;

/** An outbox row as the relay reads it. */
export interface OutboxRow {
  id: string;
  name: string;
  version: number;
  payload: Record<string, unknown>;
  occurred_at: Date;
  attempts: number;
}

export function toDeliveredEvent(row: OutboxRow): DeliveredEvent {
  return { ...row.payload, name: row.name, version: row.version, eventId: row.id, occurredAt: row.occurred_at.toISOString() };
}

/**
 * Runs every `@OnDomainEvent(event.name)` handler of this process; rejects when one fails or does
 * not finish in time (a handler that never settles would hold its rows locked or its job active).
 * The one delivery path of both transports.
 */
export async function deliverEvent(emitter: EventEmitter2, event: DeliveredEvent): Promise<void> {
  await withTimeout(emitter.emitAsync(event.name, event), HANDLER_TIMEOUT_MS, `handlers of ${event.name}`);
}

/** Rejects once `ms` have passed or `signal` aborts; `work` itself goes on. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    onAbort = () => reject(new Error(`${what} abandoned: shutting down`));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
