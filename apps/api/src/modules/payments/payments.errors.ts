import { DomainError } from '#platform';

export class PaymentNotFoundError extends DomainError {
  constructor(id: string) {
    super('PAYMENTS.NOT_FOUND', 'not_found', `No payment ${id}`);
  }
}

/** The card was declined: a business refusal (422), remembered like a success by the idempotency layer. */
export class PaymentDeclinedError extends DomainError {
  constructor(paymentId: string, declineCode: string) {
    super('PAYMENTS.DECLINED', 'unprocessable', `The card was declined (${declineCode})`, { paymentId, declineCode });
  }
}

/** The breaker is open (or the gateway is saturated): nothing was sent; retry after Retry-After. */
export class PaymentsUnavailableError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('PAYMENTS.UNAVAILABLE', 'unavailable', 'The payment provider is unavailable; nothing was charged, retry shortly', {}, { 'retry-after': String(retryAfterSeconds) });
  }
}

/** The provider did not answer in time: the outcome is settled by reconciliation or by a retry with the same key. */
export class PaymentOutcomeUnknownError extends DomainError {
  constructor(paymentId: string) {
    super('PAYMENTS.OUTCOME_UNKNOWN', 'unavailable', 'The payment provider did not confirm in time; retry with the same Idempotency-Key to learn the outcome', { paymentId }, { 'retry-after': '2' });
  }
}

export class PaymentNotPaidError extends DomainError {
  constructor(paymentId: string, state: string) {
    super('PAYMENTS.NOT_PAID', 'conflict', `Payment ${paymentId} is ${state}: nothing captured to refund`, { state });
  }
}

export class RefundExceedsCapturedError extends DomainError {
  constructor(requested: number, refundable: number) {
    super('PAYMENTS.REFUND_EXCEEDS_CAPTURED', 'unprocessable', `Refund of ${requested} exceeds the ${refundable} captured and not yet refunded`, { requested, refundable });
  }
}

export class InvalidPaymentStateError extends DomainError {
  constructor(paymentId: string, state: string, action: string) {
    super('PAYMENTS.INVALID_STATE', 'conflict', `Cannot ${action} payment ${paymentId} in state ${state}`, { state });
  }
}

export class PaymentRejectedByProviderError extends DomainError {
  constructor(detail: string) {
    super('PAYMENTS.PROVIDER_REJECTED', 'unprocessable', detail);
  }
}

/** The same idempotency key came with another order, amount or currency. */
export class PaymentKeyReusedError extends DomainError {
  constructor(paymentId: string) {
    super('PAYMENTS.KEY_REUSED', 'unprocessable', 'This idempotency key already paid for another order, amount or currency', { paymentId });
  }
}

/** The webhook's signature is missing, wrong or too old: nothing was read. */
export class WebhookSignatureError extends DomainError {
  constructor(detail: string) {
    super('PAYMENTS.WEBHOOK_SIGNATURE_INVALID', 'bad_request', detail);
  }
}

export class UnknownWebhookProviderError extends DomainError {
  constructor(provider: string) {
    super('PAYMENTS.WEBHOOK_PROVIDER_UNKNOWN', 'not_found', `No webhooks are taken from ${provider}`);
  }
}

export class WebhookPayloadInvalidError extends DomainError {
  constructor(detail: string) {
    super('PAYMENTS.WEBHOOK_PAYLOAD_INVALID', 'bad_request', detail);
  }
}
