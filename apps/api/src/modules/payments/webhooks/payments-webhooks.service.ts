import { Inject, Injectable, Logger } from '@nestjs/common';
import { stepForEvent } from '../payment-state.js';
import { UnknownWebhookProviderError } from '../payments.errors.js';
import { PaymentsRepository } from '../payments.repository.js';
import { WEBHOOK_VERIFIER, type WebhookVerifier } from './provider-event.js';

export interface WebhookReceipt {
  received: true;
  /** `applied`, `ignored` (old news or a type we do not act on), `unmatched` (no such payment), `stray` (a charge to release) or `duplicate` (seen before). */
  outcome: string;
}

/** Provider events: verified, taken once per event id, and run through the payment state machine. */
@Injectable()
export class PaymentsWebhooksService {
  private readonly logger = new Logger('PaymentsWebhooks');

  constructor(
    @Inject(WEBHOOK_VERIFIER) private readonly verifier: WebhookVerifier,
    private readonly payments: PaymentsRepository,
  ) {}

  async receive(provider: string, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<WebhookReceipt> {
    if (provider !== this.verifier.provider) throw new UnknownWebhookProviderError(provider);
    const event = this.verifier.verify(rawBody, headers);
    const outcome = await this.payments.takeProviderEvent(provider, event, (payment, open) => stepForEvent(payment, event, open));
    if (outcome === 'stray') this.logger.error({ provider, eventId: event.id, type: event.type, ref: event.charge?.ref }, 'payment webhook: a charge for an attempt settled as never charged; queued for release');
    else this.logger.log({ provider, eventId: event.id, type: event.type, outcome }, 'payment webhook');
    return { received: true, outcome };
  }
}
