import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Intent, toCharge } from '../gateway/simulator.gateway.js';
import { WebhookPayloadInvalidError, WebhookSignatureError } from '../payments.errors.js';
import { EVENT_KINDS, type ProviderEvent, paymentIdFrom, type WebhookVerifier } from './provider-event.js';

export const SIMULATOR_SIGNATURE_HEADER = 'ficus-signature';
/** Older signatures are refused, so a captured request cannot be replayed later. */
export const SIMULATOR_TOLERANCE_S = 300;

interface SimulatorEvent {
  id: string;
  type: string;
  data: { object: Intent & { metadata?: Record<string, string>; idempotency_key?: string }; refund?: { amount: number; idempotency_key?: string } };
}

/** The gateway simulator's scheme: `Ficus-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export class SimulatorWebhooks implements WebhookVerifier {
  readonly provider = 'simulator';

  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): ProviderEvent {
    const header = headers[SIMULATOR_SIGNATURE_HEADER];
    const parts = new Map((typeof header === 'string' ? header : '').split(',').map((part) => part.trim().split('=', 2) as [string, string]));
    const t = Number(parts.get('t'));
    const given = Buffer.from(parts.get('v1') ?? '', 'hex');
    if (!Number.isInteger(t) || given.length === 0) throw new WebhookSignatureError(`Missing or malformed ${SIMULATOR_SIGNATURE_HEADER} header`);
    if (Math.abs(this.now() / 1000 - t) > SIMULATOR_TOLERANCE_S) throw new WebhookSignatureError('The signature timestamp is outside the tolerance');
    const expected = createHmac('sha256', this.secret).update(`${t}.`).update(rawBody).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WebhookSignatureError('The signature does not match the body');
    return toProviderEvent(JSON.parse(rawBody.toString('utf8')) as SimulatorEvent);
  }
}

function toProviderEvent(event: SimulatorEvent): ProviderEvent {
  if (typeof event?.id !== 'string' || !event.id || typeof event.type !== 'string') throw new WebhookPayloadInvalidError('An event needs a string id and type');
  const kind = EVENT_KINDS.get(event.type) ?? null;
  const intent = event.data?.object;
  if (!kind || !intent?.id) return { id: event.id, type: event.type, kind: null };
  return {
    id: event.id,
    type: event.type,
    kind,
    charge: toCharge(intent),
    paymentId: paymentIdFrom(intent.metadata),
    attemptKey: intent.idempotency_key,
    ...(event.data.refund ? { refund: { key: event.data.refund.idempotency_key, amount: event.data.refund.amount } } : {}),
  };
}
