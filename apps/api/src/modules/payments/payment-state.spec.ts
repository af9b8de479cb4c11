import type { PaymentAttempt } from './payment-attempt.entity.js';
import { movesForward, stepForEvent } from './payment-state.js';
import type { Payment } from './payment.entity.js';
import type { ProviderEvent } from './webhooks/provider-event.js';

const payment = (over: Partial<Payment> = {}) => ({ id: 'p1', orderId: 'o1', amount: 5000, currency: 'EUR', captured: 0, refunded: 0, state: 'pending', ...over }) as Payment;
const attempt = (over: Partial<PaymentAttempt>) => ({ id: 'a1', paymentId: 'p1', kind: 'authorize', providerKey: 'k1', amount: 5000, state: 'unknown', ...over }) as PaymentAttempt;
const event = (kind: ProviderEvent['kind'], charge: Partial<NonNullable<ProviderEvent['charge']>> = {}, over: Partial<ProviderEvent> = {}): ProviderEvent => ({
  id: 'evt_1',
  type: String(kind),
  kind,
  charge: { ref: 'pi_1', status: 'captured', amountCaptured: 5000, amountRefunded: 0, ...charge },
  ...over,
});

describe('payment state for provider events', () => {
  it('settles the open authorize attempt the event names, with the same change a synchronous answer makes', () => {
    const step = stepForEvent(payment(), event('succeeded', {}, { attemptKey: 'k1' }), [attempt({})]);
    expect(step).toMatchObject({ attempt: { id: 'a1' }, outcome: 'succeeded', change: { patch: { state: 'captured', captured: 5000 }, events: ['payments.payment-authorized', 'payments.payment-captured'] } });
    expect(stepForEvent(payment(), event('failed', { status: 'declined', amountCaptured: 0 }, { attemptKey: 'k1' }), [attempt({})])).toMatchObject({ outcome: 'declined', change: { patch: { state: 'failed' } } });
  });

  it('leaves an attempt with another key alone, and never fails a payment without its attempt', () => {
    expect(stepForEvent(payment(), event('failed', { status: 'declined' }, { attemptKey: 'other' }), [attempt({})])).toBeNull();
    expect(stepForEvent(payment(), event('failed', { status: 'declined' }), [])).toBeNull();
  });

  it('moves forward without an attempt, never back', () => {
    expect(stepForEvent(payment({ state: 'authorized', providerRef: 'pi_1' }), event('succeeded'), [])).toMatchObject({ attempt: null, change: { patch: { state: 'captured' } } });
    const refunded = payment({ state: 'refunded', captured: 5000, refunded: 5000, providerRef: 'pi_1' });
    expect(stepForEvent(refunded, event('succeeded'), [])).toBeNull();
    expect(stepForEvent(refunded, event('authorized', { status: 'authorized', amountCaptured: 0 }), [])).toBeNull();
    expect(stepForEvent(payment({ state: 'captured', captured: 5000, providerRef: 'pi_1' }), event('canceled', { status: 'voided', amountCaptured: 0 }), [])).toBeNull();
    expect(stepForEvent(payment({ state: 'voided', providerRef: 'pi_1' }), event('succeeded'), [])).toBeNull();
  });

  it('leaves a charge that is not the payment\'s own alone: its capture or refund is not ours', () => {
    // The provider charged an attempt we had settled as never charged; the payment, retried with a new key, is pending or holds another charge.
    const stray = { attemptKey: 'k-failed' };
    expect(stepForEvent(payment(), event('succeeded', { ref: 'pi_stray' }, stray), [attempt({ providerKey: 'k2' })])).toBeNull();
    expect(stepForEvent(payment({ state: 'authorized', providerRef: 'pi_1' }), event('succeeded', { ref: 'pi_stray' }, stray), [])).toBeNull();
    const captured = payment({ state: 'captured', captured: 5000, providerRef: 'pi_1' });
    expect(stepForEvent(captured, event('refunded', { ref: 'pi_stray', status: 'refunded', amountRefunded: 5000 }, { refund: { amount: 5000 } }), [])).toBeNull();
    // The same events about the payment's own charge still apply.
    expect(stepForEvent(captured, event('refunded', { status: 'refunded', amountRefunded: 5000 }, { refund: { amount: 5000 } }), [])).toMatchObject({ change: { patch: { refunded: 5000, state: 'refunded' } } });
  });

  it('takes a refund made at the provider once, and only while none of ours is open (it would count twice)', () => {
    const captured = payment({ state: 'captured', captured: 5000, providerRef: 'pi_1' });
    const refundEvent = event('refunded', { status: 'partially_refunded', amountRefunded: 1500 }, { refund: { amount: 1500 } });
    expect(stepForEvent(captured, refundEvent, [])).toMatchObject({ attempt: null, change: { patch: { refunded: 1500, state: 'partially_refunded' }, events: ['payments.payment-refunded'] } });
    expect(stepForEvent(payment({ state: 'partially_refunded', captured: 5000, refunded: 1500, providerRef: 'pi_1' }), refundEvent, [])).toBeNull();
    expect(stepForEvent(captured, refundEvent, [attempt({ kind: 'refund', providerKey: 'r1', amount: 700 })])).toBeNull();
    const ours = stepForEvent(captured, { ...refundEvent, refund: { key: 'r1', amount: 1500 } }, [attempt({ kind: 'refund', providerKey: 'r1', amount: 1500 })]);
    expect(ours).toMatchObject({ attempt: { providerKey: 'r1' }, change: { patch: { refunded: 1500 } } });
  });

  it('calls a change news only when it goes to a later state or refunds more', () => {
    const partially = payment({ state: 'partially_refunded', captured: 5000, refunded: 1000 });
    expect(movesForward(partially, { patch: { refunded: 2000, state: 'partially_refunded' }, events: [], note: '' })).toBe(true);
    expect(movesForward(partially, { patch: { refunded: 1000, state: 'partially_refunded' }, events: [], note: '' })).toBe(false);
    expect(movesForward(partially, { patch: { refunded: 0, state: 'captured' }, events: [], note: '' })).toBe(false);
  });
});
