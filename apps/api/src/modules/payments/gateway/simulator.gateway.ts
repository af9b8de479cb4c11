import {
  type AuthorizeRequest,
  type Charge,
  type ChargeStatus,
  GatewayDeclinedError,
  GatewayRejectedError,
  GatewayTransientError,
  type PaymentGateway,
  type RefundResult,
} from './payment-gateway.js';

/** The simulator's payment intent, as much of it as we read. */
export interface Intent {
  id: string;
  status: 'declined' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'canceled';
  amount_captured: number;
  amount_refunded: number;
}

const STATUS: Record<Intent['status'], ChargeStatus> = {
  declined: 'declined',
  authorized: 'authorized',
  captured: 'captured',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  canceled: 'voided',
};

export const toCharge = (intent: Intent): Charge => ({
  ref: intent.id,
  status: STATUS[intent.status],
  amountCaptured: intent.amount_captured,
  amountRefunded: intent.amount_refunded,
});

/** The in-repo gateway simulator (libs/devtools/src/gateway-simulator) over HTTP. */
export class SimulatorGateway implements PaymentGateway {
  readonly provider = 'simulator';

  constructor(private readonly baseUrl: string) {}

  async authorize(key: string, request: AuthorizeRequest, signal?: AbortSignal): Promise<Charge> {
    const body = {
      amount: request.amount,
      currency: request.currency.toLowerCase(),
      token: request.token,
      capture_method: request.capture ? 'automatic' : 'manual',
      metadata: request.metadata,
    };
    return toCharge(await this.send<Intent>('POST', '/v1/payment_intents', body, key, signal));
  }

  async capture(key: string, ref: string, signal?: AbortSignal): Promise<Charge> {
    return toCharge(await this.send<Intent>('POST', `/v1/payment_intents/${encodeURIComponent(ref)}/capture`, {}, key, signal));
  }

  async void(key: string, ref: string, signal?: AbortSignal): Promise<Charge> {
    return toCharge(await this.send<Intent>('POST', `/v1/payment_intents/${encodeURIComponent(ref)}/cancel`, {}, key, signal));
  }

  async refund(key: string, ref: string, amount: number, signal?: AbortSignal): Promise<RefundResult> {
    const refund = await this.send<{ id: string; amount: number }>('POST', '/v1/refunds', { payment_intent: ref, amount }, key, signal);
    return { ref: refund.id, amount: refund.amount };
  }

  async lookupByKey(key: string, _since: Date, signal?: AbortSignal): Promise<Charge | null> {
    const list = await this.send<{ data: Intent[] }>('GET', `/v1/payment_intents?idempotency_key=${encodeURIComponent(key)}`, undefined, null, signal);
    return list.data[0] ? toCharge(list.data[0]) : null;
  }

  private async send<T>(method: string, path: string, body: unknown, key: string | null, signal?: AbortSignal): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { 'idempotency-key': key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      throw new GatewayTransientError(`${method} ${path}: ${(error as Error).message}`);
    }
    const parsed = text ? (JSON.parse(text) as Record<string, any>) : {};
    if (response.ok) return parsed as T;
    const error = parsed.error as { code?: string; decline_code?: string; message?: string; payment_intent?: Intent } | undefined;
    if (response.status === 402) throw new GatewayDeclinedError(error?.decline_code ?? error?.code ?? 'declined', error?.payment_intent?.id ?? null);
    if (response.status >= 500 || response.status === 409 || response.status === 429) {
      throw new GatewayTransientError(`${method} ${path}: ${response.status} ${error?.message ?? ''}`);
    }
    throw new GatewayRejectedError(response.status, `${method} ${path}: ${response.status} ${error?.code ?? ''} ${error?.message ?? ''}`);
  }
}
