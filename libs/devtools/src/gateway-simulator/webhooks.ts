import { createHmac, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { abortableSleep } from './abortable-sleep.js';

export const SIGNATURE_HEADER = 'ficus-signature';

export type WebhookEventType =
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'charge.refunded';

export interface WebhookEvent {
  id: string;
  object: 'event';
  type: WebhookEventType;
  /** Unix seconds, as in the signature. */
  created: number;
  data: { object: unknown; refund?: unknown };
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookDelivery {
  event: string;
  type: WebhookEventType;
  attempts: number;
  status: number | 'error';
}

const ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 200;
const ATTEMPT_TIMEOUT_MS = 5_000;
const KEPT_DELIVERIES = 1_000;

/** `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the header value a receiver checks. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${signature}`;
}

/** Posts signed events to the configured URL, retrying a failed delivery a few times. */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly log: WebhookDelivery[] = [];
  /** Events sent, by id, so one can be sent again (a provider's "resend" button; tests of replays). */
  private readonly sent = new Map<string, WebhookEvent>();
  private readonly stop = new AbortController();

  constructor(private target: WebhookTarget | undefined) {
    setMaxListeners(0, this.stop.signal);
  }

  get configured(): { url: string } | null {
    return this.target ? { url: this.target.url } : null;
  }

  get deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  configure(target: WebhookTarget | undefined): void {
    this.target = target;
  }

  send(type: WebhookEventType, data: WebhookEvent['data']): void {
    const target = this.target;
    if (!target) return;
    // A copy: the ledger changes its objects later, and a resend must send what was sent.
    const event: WebhookEvent = { id: `evt_${randomBytes(12).toString('hex')}`, object: 'event', type, created: Math.floor(Date.now() / 1000), data: structuredClone(data) };
    this.sent.set(event.id, event);
    if (this.sent.size > KEPT_DELIVERIES) this.sent.delete(this.sent.keys().next().value!);
    this.dispatch(target, event);
  }

  /** Delivers a sent event again, same id and body, freshly signed; false when it is unknown or nothing is configured. */
  resend(eventId: string): boolean {
    const event = this.sent.get(eventId);
    if (!event || !this.target) return false;
    this.dispatch(this.target, event);
    return true;
  }

  private dispatch(target: WebhookTarget, event: WebhookEvent): void {
    const delivery = this.deliver(target, event).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Stops retrying and waits for deliveries under way. */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  clearLog(): void {
    this.log.length = 0;
    this.sent.clear();
  }

  private async deliver(target: WebhookTarget, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    let status: number | 'error' = 'error';
    let attempts = 0;
    while (attempts < ATTEMPTS && !this.stop.signal.aborted) {
      if (attempts > 0) await abortableSleep(FIRST_BACKOFF_MS * 2 ** (attempts - 1), this.stop.signal);
      attempts += 1;
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(target.secret, body, Math.floor(Date.now() / 1000)) },
          body,
          signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
        });
        await response.arrayBuffer();
        status = response.status;
        if (response.ok) break;
      } catch {
        status = 'error';
      }
    }
    this.log.push({ event: event.id, type: event.type, attempts, status });
    if (this.log.length > KEPT_DELIVERIES) this.log.shift();
  }
}
