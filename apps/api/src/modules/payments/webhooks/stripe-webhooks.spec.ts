import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { WebhookSignatureError } from '../payments.errors.js';
import { StripeWebhooks } from './stripe-webhooks.js';

const fixture = (name: string) => readFileSync(new URL(`../gateway/stripe-fixtures/${name}.json`, import.meta.url), 'utf8');
const SECRET = 'whsec_test_fixture_secret';
const webhooks = new StripeWebhooks(SECRET);
const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: options.timestamp });

describe('StripeWebhooks (Stripe-Signature checked by the SDK, events in our words)', () => {
  it('reads a signed payment_intent.succeeded with our payment id and attempt key', () => {
    const raw = fixture('event.payment_intent.succeeded');
    expect(webhooks.verify(Buffer.from(raw), { 'stripe-signature': sign(raw) })).toEqual({
      id: 'evt_3MtwBwLkdIwHu7ix0pbjJwxk',
      type: 'payment_intent.succeeded',
      kind: 'succeeded',
      charge: { ref: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', status: 'captured', amountCaptured: 5000, amountRefunded: 0 },
      paymentId: '0b9d1c7e-2f4a-4c3e-9a51-3d2b6c8e1f00',
      attemptKey: '6f1c2a9e-8d3b-4e7f-a2c5-1b9e0d4f7a63',
    });
  });

  it('reads charge.refunded as the totals of the PaymentIntent it belongs to', () => {
    const raw = fixture('event.charge.refunded');
    expect(webhooks.verify(Buffer.from(raw), { 'stripe-signature': sign(raw) })).toMatchObject({
      kind: 'refunded',
      charge: { ref: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', status: 'partially_refunded', amountCaptured: 5000, amountRefunded: 2000 },
    });
  });

  it('refuses another secret, a changed body, a missing header and a timestamp older than 5 minutes', () => {
    const raw = fixture('event.payment_intent.succeeded');
    const refused = [
      () => webhooks.verify(Buffer.from(raw), { 'stripe-signature': sign(raw, { secret: 'whsec_someone_else' }) }),
      () => webhooks.verify(Buffer.from(raw.replace('5000', '1')), { 'stripe-signature': sign(raw) }),
      () => webhooks.verify(Buffer.from(raw), {}),
      () => webhooks.verify(Buffer.from(raw), { 'stripe-signature': sign(raw, { timestamp: Math.floor(Date.now() / 1000) - 301 }) }),
    ];
    for (const verify of refused) expect(verify).toThrow(WebhookSignatureError);
  });
});
