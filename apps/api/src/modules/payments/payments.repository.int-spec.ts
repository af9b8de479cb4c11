import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import type { Charge } from './gateway/payment-gateway.js';
import { declined, fromCharge, notCharged } from './payment-state.js';
import { type Begun, PaymentsRepository } from './payments.repository.js';
import { PaymentsModule } from './payments.module.js';

describe('payments repository: one-statement begin and settle (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let payments: PaymentsRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, { imports: [PaymentsModule] });
    payments = app.get(PaymentsRepository);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const newPayment = (requestKey = randomUUID()) => ({ orderId: randomUUID(), createdBy: null, requestKey, amount: 1990, currency: 'EUR', captureMode: 'immediate' as const });
  const captured = (ref: string): Charge => ({ ref, status: 'captured', amountCaptured: 1990, amountRefunded: 0 });
  const begin = async (input = newPayment()) => (await payments.beginAuthorize(input, 'simulator')) as Begun;
  const history = async (paymentId: string) => (await db.query(`SELECT from_state, to_state FROM payments.payment_history WHERE payment_id = $1 ORDER BY id`, [paymentId])).rows;
  const events = async (paymentId: string) =>
    (await db.query(`SELECT name FROM platform.outbox_events WHERE payload->>'paymentId' = $1 ORDER BY name`, [paymentId])).rows.map((r) => r.name);

  it('creates the payment, its history and one open attempt; the same key again finds them', async () => {
    const input = newPayment();
    const first = await begin(input);
    expect(first).toMatchObject({ settled: false, payment: { state: 'pending', amount: 1990, currency: 'EUR' }, attempt: { kind: 'authorize', state: 'pending' } });
    const again = await begin(input);
    expect(again.payment.id).toBe(first.payment.id);
    expect(again.attempt.id).toBe(first.attempt.id);
    expect(await history(first.payment.id)).toEqual([{ from_state: null, to_state: 'pending' }]);
  });

  it('settles what it began: attempt succeeded, payment captured, history and events written once', async () => {
    const begun = await begin();
    const payment = await payments.settleBegun(begun, { state: 'succeeded', providerRef: 'pi_1' }, (p) => fromCharge(p, captured('pi_1')));
    expect(payment).toMatchObject({ id: begun.payment.id, state: 'captured', captured: 1990, providerRef: 'pi_1' });
    expect((await payments.attemptsOf(payment.id)).map((a) => a.state)).toEqual(['succeeded']);
    expect(await history(payment.id)).toEqual([{ from_state: null, to_state: 'pending' }, { from_state: 'pending', to_state: 'captured' }]);
    expect(await events(payment.id)).toEqual(['payments.payment-authorized', 'payments.payment-captured']);
    // A late second answer (a retry, the reconciler) changes nothing.
    await payments.settleBegun(begun, { state: 'succeeded', providerRef: 'pi_1' }, (p) => fromCharge(p, captured('pi_1')));
    expect(await events(payment.id)).toHaveLength(2);
    expect(await history(payment.id)).toHaveLength(2);
  });

  it('leaves an attempt someone else settled first alone', async () => {
    const begun = await begin();
    await payments.settle(begun.attempt.id, { state: 'declined', providerRef: 'pi_2' }, () => declined('pi_2'));
    const payment = await payments.settleBegun(begun, { state: 'succeeded', providerRef: 'pi_2' }, (p) => fromCharge(p, captured('pi_2')));
    expect(payment.state).toBe('failed');
    expect(await events(payment.id)).toEqual(['payments.payment-failed']);
  });

  it('applies the change to the payment as it is now when it moved since it was begun', async () => {
    const begun = await begin();
    // As a provider event would: the payment is authorized while the attempt is still open.
    await db.query(`UPDATE payments.payments SET state = 'authorized' WHERE id = $1`, [begun.payment.id]);
    const payment = await payments.settleBegun(begun, { state: 'succeeded', providerRef: 'pi_3' }, (p) => fromCharge(p, captured('pi_3')));
    expect(payment.state).toBe('captured');
    // fromCharge read the payment as authorized: no second payment-authorized.
    expect(await events(payment.id)).toEqual(['payments.payment-captured']);
    expect((await payments.attemptsOf(payment.id)).map((a) => a.state)).toEqual(['succeeded']);
  });

  describe('a retry that sends an open attempt again, racing the reconciler', () => {
    const age = (attemptId: string) => db.query(`UPDATE payments.payment_attempts SET updated_at = now() - interval '1 minute' WHERE id = $1`, [attemptId]);
    const listed = async (attemptId: string) => (await payments.unsettledAttempts(3000, 1000)).find((a) => a.id === attemptId);

    it('claims the open attempt, so the reconciler\'s "no charge for this key" read before the claim settles nothing', async () => {
      const input = newPayment();
      const first = await begin(input);
      await age(first.attempt.id); // its process died with the outcome unknown
      const seen = await listed(first.attempt.id);
      expect(seen).toBeDefined();
      // The reconciler asked the provider (no charge yet); meanwhile the client's retry takes the attempt.
      const retry = await begin(input);
      expect(retry).toMatchObject({ settled: false, attempt: { id: first.attempt.id, providerKey: first.attempt.providerKey } });
      expect(retry.attempt.updatedAt.getTime()).toBeGreaterThan(seen!.updatedAt.getTime());
      const left = await payments.settle(seen!.id, { state: 'failed', error: 'provider has no charge for this key' }, () => notCharged(), seen!.updatedAt);
      expect(left.state).toBe('pending');
      expect(await listed(first.attempt.id)).toBeUndefined(); // claimed just now: not the reconciler's for a while
      // The retry's call charged; its answer settles the payment.
      const payment = await payments.settleBegun(retry, { state: 'succeeded', providerRef: 'pi_race' }, (p) => fromCharge(p, captured('pi_race')));
      expect(payment.state).toBe('captured');
      expect((await payments.attemptsOf(payment.id)).map((a) => a.state)).toEqual(['succeeded']);
      expect(await events(payment.id)).toEqual(['payments.payment-authorized', 'payments.payment-captured']);
    });

    it('when the reconciler settled first, the retry sends a new attempt with a new key', async () => {
      const input = newPayment();
      const first = await begin(input);
      await age(first.attempt.id);
      const seen = (await listed(first.attempt.id))!;
      const failed = await payments.settle(seen.id, { state: 'failed', error: 'provider has no charge for this key' }, () => notCharged(), seen.updatedAt);
      expect(failed.state).toBe('failed');
      const retry = await begin(input);
      expect(retry.settled).toBe(false);
      expect(retry.attempt.id).not.toBe(first.attempt.id);
      expect(retry.attempt.providerKey).not.toBe(first.attempt.providerKey);
      expect(retry.payment.state).toBe('pending');
    });
  });
});
