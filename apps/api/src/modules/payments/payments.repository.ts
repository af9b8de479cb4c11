import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, LessThan } from 'typeorm';
import type { CaptureMode, PaymentEvent } from '#contracts';
import { EventPublisher, outboxInsert } from '#platform';
import type { EventStep, PaymentChange } from './payment-state.js';
import { type AttemptKind, type AttemptState, PaymentAttempt } from './payment-attempt.entity.js';
import { PaymentHistory } from './payment-history.entity.js';
import { Payment } from './payment.entity.js';
import { Refund } from './refund.entity.js';
import { WebhookEvent, type WebhookOutcome } from './webhook-event.entity.js';
import type { ProviderEvent } from './webhooks/provider-event.js';

export interface NewPayment {
  orderId: string;
  createdBy: string | null;
  requestKey: string;
  amount: number;
  currency: string;
  captureMode: CaptureMode;
}

/** A payment with the provider call to make (or re-make, with the same key) for it. */
export interface Begun {
  payment: Payment;
  attempt: PaymentAttempt;
  /** The attempt was already settled: nothing to send. */
  settled: boolean;
}

export type RefundBegun =
  | { refused: 'not_found' }
  | { refused: 'not_paid'; state: string }
  | { refused: 'exceeds'; refundable: number }
  | (Begun & { refund: Refund });

const OPEN: AttemptState[] = ['pending', 'unknown'];

/**
 * beginAuthorize's common case in one statement: a new payment (none for its request key yet), its
 * history and its first authorize attempt; no row when the key has a payment (then the locked path).
 */
const CREATE_AUTHORIZE = `
  WITH payment AS (
    INSERT INTO payments.payments (id, order_id, created_by, request_key, amount, currency, state, capture_mode)
    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) ON CONFLICT DO NOTHING
    RETURNING id, amount, created_at, updated_at
  ), history AS (
    INSERT INTO payments.payment_history (payment_id, from_state, to_state, note) SELECT id, NULL, 'pending', 'created' FROM payment
  ), attempt AS (
    INSERT INTO payments.payment_attempts (id, payment_id, kind, provider, provider_key, amount, state)
    SELECT $8, id, 'authorize', $9, $10, amount, 'pending' FROM payment
    RETURNING created_at, updated_at
  )
  SELECT payment.created_at AS p_created, payment.updated_at AS p_updated, attempt.created_at AS a_created, attempt.updated_at AS a_updated
  FROM payment, attempt`;

/**
 * settle() in one statement for a payment still as the caller saw it: the attempt and the payment are
 * locked (attempt first, as settle() does) only while the attempt is open and the payment's state,
 * captured and refunded are unchanged, re-checked after any wait; then the attempt is settled, the
 * change applied, its history and events written. No row: something moved, take the locked path.
 */
const SETTLE_SEEN = `
  WITH locked AS MATERIALIZED (
    SELECT a.id FROM payments.payment_attempts a JOIN payments.payments p ON p.id = a.payment_id
    WHERE a.id = $1 AND a.state IN ('pending', 'unknown') AND p.id = $2 AND p.state = $3::varchar AND p.captured = $4::int AND p.refunded = $5::int
    FOR UPDATE OF a, p
  ), attempt AS (
    UPDATE payments.payment_attempts SET state = $6::varchar, provider_ref = coalesce($7::varchar, provider_ref), error = $8::text, updated_at = now()
    WHERE id = (SELECT id FROM locked)
  ), payment AS (
    UPDATE payments.payments
    SET state = coalesce($9::varchar, state), captured = coalesce($10::int, captured), refunded = coalesce($11::int, refunded),
        provider_ref = coalesce($12::varchar, provider_ref), updated_at = now()
    WHERE id = $2 AND EXISTS (SELECT 1 FROM locked)
    RETURNING *
  ), history AS (
    INSERT INTO payments.payment_history (payment_id, from_state, to_state, note)
    SELECT id, $3::varchar, state, $13::varchar FROM payment WHERE state <> $3::varchar
  ), outbox AS (${outboxInsert('$14', 'EXISTS (SELECT 1 FROM payment)')})
  SELECT * FROM payment`;
const lock = { mode: 'pessimistic_write' } as const;

/** Payments, their attempts, refunds and history; every state change is one transaction with its events. */
@Injectable()
export class PaymentsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /**
   * The payment for this request key, created if new, with the authorize attempt to send: the open
   * one (its outcome is unknown, so its key is reused) or, after a known non-charge, a new one. An
   * open attempt is claimed before it is sent again, so the reconciler cannot settle it as never
   * charged while this call is on its way (see `settle`'s `untouchedSince`).
   */
  async beginAuthorize(input: NewPayment, provider: string): Promise<Begun | { reused: Payment }> {
    const created = await this.createAuthorize(input, provider);
    if (created) return created;
    // A claim fails only when the open attempt was settled meanwhile; the next round sees it settled.
    for (;;) {
      let reopened = false;
      const begun = await this.dataSource.transaction(async (tx): Promise<Begun | { reused: Payment }> => {
        const id = randomUUID();
        await tx.createQueryBuilder().insert().into(Payment).values({ id, ...input, state: 'pending' }).orIgnore().execute();
        const payment = await tx.findOneOrFail(Payment, { where: { requestKey: input.requestKey }, lock });
        if (payment.id === id) await tx.insert(PaymentHistory, { paymentId: id, fromState: null, toState: 'pending', note: 'created' });
        else if (payment.orderId !== input.orderId || payment.amount !== input.amount || payment.currency !== input.currency) return { reused: payment };
        const last = await tx.findOne(PaymentAttempt, { where: { paymentId: payment.id, kind: 'authorize' }, order: { createdAt: 'DESC' } });
        if (last && last.state !== 'failed') {
          reopened = OPEN.includes(last.state);
          return { payment, attempt: last, settled: !reopened };
        }
        if (payment.state === 'failed') await this.move(tx, payment, { patch: { state: 'pending' }, events: [], note: 'retried' });
        return { payment, attempt: await this.newAttempt(tx, payment.id, 'authorize', provider, payment.amount), settled: false };
      });
      if (!reopened || 'reused' in begun || (await this.claim(begun.attempt))) return begun;
    }
  }

  /** A capture or void attempt, saved before the call; an open one is reused (and claimed, as in `beginAuthorize`). */
  async beginAction(paymentId: string, kind: 'capture' | 'void', provider: string): Promise<Begun | null> {
    for (;;) {
      let reopened = false;
      const begun = await this.dataSource.transaction(async (tx) => {
        const payment = await tx.findOne(Payment, { where: { id: paymentId }, lock });
        if (!payment) return null;
        const open = await tx.findOne(PaymentAttempt, { where: { paymentId, kind, state: In(OPEN) } });
        reopened = open !== null;
        return { payment, attempt: open ?? (await this.newAttempt(tx, paymentId, kind, provider, payment.amount)), settled: false };
      });
      if (!begun || !reopened || (await this.claim(begun.attempt))) return begun;
    }
  }

  /** Reserves a refund under the payment's lock, so concurrent refunds never exceed what was captured. */
  beginRefund(paymentId: string, requestKey: string, amount: number | undefined, provider: string): Promise<RefundBegun> {
    return this.dataSource.transaction(async (tx): Promise<RefundBegun> => {
      const payment = await tx.findOne(Payment, { where: { id: paymentId }, lock });
      if (!payment) return { refused: 'not_found' };
      const existing = await tx.findOneBy(Refund, { requestKey });
      if (existing && existing.state !== 'failed') {
        const attempt = await tx.findOneOrFail(PaymentAttempt, { where: { refundId: existing.id }, order: { createdAt: 'DESC' } });
        return { payment, refund: existing, attempt, settled: existing.state === 'succeeded' };
      }
      if (payment.captured === 0) return { refused: 'not_paid', state: payment.state };
      const reserved = await tx.sum(Refund, 'amount', { paymentId, state: In(['pending', 'unknown']) });
      const refundable = payment.captured - payment.refunded - (reserved ?? 0);
      const wanted = amount ?? refundable;
      if (wanted > refundable || wanted <= 0) return { refused: 'exceeds', refundable };
      const refund = existing ?? tx.create(Refund, { id: randomUUID(), paymentId, requestKey });
      Object.assign(refund, { amount: wanted, state: 'pending' });
      await tx.save(refund);
      const attempt = await this.newAttempt(tx, paymentId, 'refund', provider, wanted, refund.id);
      return { payment, refund, attempt, settled: false };
    });
  }

  /**
   * Settles an open attempt and applies what it means to the payment, with history and events.
   * An attempt someone else settled first (a retry, the reconciler) is left alone, and so is one
   * touched since `untouchedSince` (the reconciler's view): a retry claimed it and is sending it again.
   */
  settle(
    attemptId: string,
    outcome: { state: AttemptState; providerRef?: string | null; error?: string | null },
    change: (payment: Payment) => PaymentChange | null,
    untouchedSince?: Date,
  ): Promise<Payment> {
    return this.dataSource.transaction(async (tx) => {
      const attempt = await tx.findOneOrFail(PaymentAttempt, { where: { id: attemptId }, lock });
      const payment = await tx.findOneOrFail(Payment, { where: { id: attempt.paymentId }, lock });
      if (!OPEN.includes(attempt.state)) return payment;
      if (untouchedSince && attempt.updatedAt.getTime() !== untouchedSince.getTime()) return payment;
      await this.settleLocked(tx, attempt, payment, outcome, change);
      return tx.findOneByOrFail(Payment, { id: payment.id });
    });
  }

  /**
   * `settle` for the payment as `begun` saw it, in one statement while it is still so (attempt open,
   * payment unmoved: what `change` read holds); otherwise `settle` under the locks, which re-reads.
   */
  async settleBegun(
    begun: Begun,
    outcome: { state: AttemptState; providerRef?: string | null; error?: string | null },
    change: (payment: Payment) => PaymentChange | null,
  ): Promise<Payment> {
    const { payment: seen, attempt } = begun;
    const applied = outcome.state === 'unknown' || attempt.refundId ? null : change(seen);
    if (!applied) return this.settle(attempt.id, outcome, change);
    const { patch } = applied;
    const after = { ...seen, ...patch };
    const written = eventsOf(after, applied);
    const rows = (await this.dataSource.query(SETTLE_SEEN, [
      attempt.id, seen.id, seen.state, seen.captured, seen.refunded,
      outcome.state, outcome.providerRef ?? null, outcome.error ?? null,
      patch.state ?? null, patch.captured ?? null, patch.refunded ?? null, patch.providerRef ?? null,
      applied.note, this.events.rows(...written),
    ])) as PaymentRow[];
    if (rows.length === 0) return this.settle(attempt.id, outcome, change);
    this.events.written(...written);
    return paymentOf(rows[0]!);
  }

  /**
   * A provider's event, taken once per event id (a redelivery changes nothing): it settles the open
   * attempt it answers, or moves the payment forward, through the same transitions as `settle`. A
   * failure rolls the event back with the rest, so the provider's redelivery tries again.
   */
  takeProviderEvent(provider: string, event: ProviderEvent, step: (payment: Payment, open: PaymentAttempt[]) => EventStep | null): Promise<WebhookOutcome | 'duplicate'> {
    return this.dataSource.transaction(async (tx) => {
      const claimed = (await tx.query(
        `INSERT INTO payments.webhook_events (provider, event_id, type, outcome) VALUES ($1, $2, $3, 'ignored') ON CONFLICT DO NOTHING RETURNING event_id`,
        [provider, event.id.slice(0, 255), event.type.slice(0, 64)],
      )) as unknown[];
      if (claimed.length === 0) return 'duplicate';
      const found = event.paymentId
        ? await tx.findOneBy(Payment, { id: event.paymentId })
        : event.charge ? await tx.findOneBy(Payment, { providerRef: event.charge.ref }) : null;
      let outcome: WebhookOutcome = found ? 'ignored' : 'unmatched';
      if (found && event.kind) {
        // Attempts before the payment, in the order `settle` locks them.
        const open = await tx.find(PaymentAttempt, { where: { paymentId: found.id, state: In(OPEN) }, order: { createdAt: 'ASC' }, lock });
        const payment = await tx.findOneOrFail(Payment, { where: { id: found.id }, lock });
        const next = step(payment, open);
        if (next?.attempt) await this.settleLocked(tx, next.attempt, payment, { state: next.outcome, providerRef: event.charge?.ref }, () => next.change);
        else if (next) await this.move(tx, payment, next.change);
        if (next) outcome = 'applied';
        else if (await this.releaseStray(tx, payment, event, provider)) outcome = 'stray';
      }
      await tx.update(WebhookEvent, { provider, eventId: event.id.slice(0, 255) }, { outcome, paymentId: found?.id ?? null });
      return outcome;
    });
  }

  findPayment(id: string): Promise<Payment | null> {
    return this.dataSource.manager.findOneBy(Payment, { id });
  }

  findRefund(id: string): Promise<Refund> {
    return this.dataSource.manager.findOneByOrFail(Refund, { id });
  }

  listByOrder(orderId: string, createdBy?: string): Promise<Payment[]> {
    return this.dataSource.manager.find(Payment, { where: { orderId, ...(createdBy ? { createdBy } : {}) }, order: { createdAt: 'ASC' } });
  }

  /** Open attempts untouched for a while: their caller died or gave up with the outcome unknown. */
  unsettledAttempts(olderThanMs: number, limit: number): Promise<PaymentAttempt[]> {
    return this.dataSource.manager.find(PaymentAttempt, {
      where: { state: In(OPEN), updatedAt: LessThan(new Date(Date.now() - olderThanMs)) },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
  }

  /** Forgets provider events older than `days`: providers stop redelivering long before (Stripe after 3 days). */
  async purgeWebhookEvents(days: number): Promise<number> {
    const result = await this.dataSource.manager.delete(WebhookEvent, { receivedAt: LessThan(new Date(Date.now() - days * 86_400_000)) });
    return result.affected ?? 0;
  }

    attemptsOf(paymentId: string): Promise<PaymentAttempt[]> {
    return this.dataSource.manager.find(PaymentAttempt, { where: { paymentId }, order: { createdAt: 'ASC' } });
  }

  /** A new payment with its history and first attempt in one statement; null when the request key already has one. */
  private async createAuthorize(input: NewPayment, provider: string): Promise<Begun | null> {
    const id = randomUUID();
    const attemptId = randomUUID();
    const providerKey = randomUUID();
    const rows = (await this.dataSource.query(CREATE_AUTHORIZE, [
      id, input.orderId, input.createdBy, input.requestKey, input.amount, input.currency, input.captureMode, attemptId, provider, providerKey,
    ])) as { p_created: Date; p_updated: Date; a_created: Date; a_updated: Date }[];
    const [row] = rows;
    if (!row) return null;
    const payment = Object.assign(new Payment(), {
      id, ...input, captured: 0, refunded: 0, state: 'pending', providerRef: null, createdAt: row.p_created, updatedAt: row.p_updated,
    } satisfies Payment);
    const attempt = Object.assign(new PaymentAttempt(), {
      id: attemptId, paymentId: id, kind: 'authorize', provider, providerKey, refundId: null, amount: input.amount, state: 'pending',
      providerRef: null, error: null, createdAt: row.a_created, updatedAt: row.a_updated,
    } satisfies PaymentAttempt);
    return { payment, attempt, settled: false };
  }

  /**
   * A charge the provider made for an authorize attempt we had settled as never charged (its call
   * arrived after we had looked it up) is not this payment's money: it gets an attempt of its own
   * that voids it (authorized) or refunds it (captured), sent by the reconciler with its own key. The
   * payment is not touched. True when the event is about such a charge.
   */
  private async releaseStray(tx: EntityManager, payment: Payment, event: ProviderEvent, provider: string): Promise<boolean> {
    const charge = event.charge;
    if (!charge || !event.attemptKey || charge.ref === payment.providerRef) return false;
    const held = charge.status === 'authorized' ? payment.amount : charge.amountCaptured - charge.amountRefunded;
    if (!['authorized', 'captured', 'partially_refunded'].includes(charge.status) || held <= 0) return false;
    const settledUncharged = await tx.existsBy(PaymentAttempt, { paymentId: payment.id, kind: 'authorize', providerKey: event.attemptKey, state: 'failed' });
    if (!settledUncharged) return false;
    const queued = await tx.existsBy(PaymentAttempt, { paymentId: payment.id, kind: In(['void_stray', 'refund_stray']), providerRef: charge.ref });
    if (!queued) await this.newAttempt(tx, payment.id, charge.status === 'authorized' ? 'void_stray' : 'refund_stray', provider, held, null, charge.ref);
    return true;
  }

  /** Marks an open attempt as being sent again now; false when it was settled meanwhile. */
  private async claim(attempt: PaymentAttempt): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE payments.payment_attempts SET updated_at = now() WHERE id = $1 AND state = ANY($2) RETURNING updated_at`,
      [attempt.id, OPEN],
    )) as [{ updated_at: Date }[], number];
    if (!rows[0]) return false;
    attempt.updatedAt = rows[0].updated_at;
    return true;
  }

  /** `providerRef`: the charge a stray release acts on (the others act on the payment's). */
  private async newAttempt(tx: EntityManager, paymentId: string, kind: AttemptKind, provider: string, amount: number, refundId: string | null = null, providerRef: string | null = null) {
    const attempt = tx.create(PaymentAttempt, { id: randomUUID(), paymentId, kind, provider, providerKey: randomUUID(), amount, refundId, providerRef, state: 'pending' });
    return tx.save(attempt);
  }

  private async settleLocked(
    tx: EntityManager,
    attempt: PaymentAttempt,
    payment: Payment,
    outcome: { state: AttemptState; providerRef?: string | null; error?: string | null },
    change: (payment: Payment) => PaymentChange | null,
  ): Promise<void> {
    await tx.update(PaymentAttempt, { id: attempt.id }, { state: outcome.state, providerRef: outcome.providerRef ?? attempt.providerRef, error: outcome.error ?? null });
    if (attempt.refundId) {
      const refundState = outcome.state === 'succeeded' ? 'succeeded' : outcome.state === 'unknown' ? 'unknown' : 'failed';
      await tx.update(Refund, { id: attempt.refundId }, { state: refundState });
    }
    if (outcome.state === 'unknown') return;
    const applied = change(payment);
    if (applied) await this.move(tx, payment, applied);
  }

  private async move(tx: EntityManager, payment: Payment, change: PaymentChange): Promise<void> {
    const from = payment.state;
    Object.assign(payment, change.patch);
    await tx.update(Payment, { id: payment.id }, change.patch);
    if (change.patch.state && change.patch.state !== from) {
      await tx.insert(PaymentHistory, { paymentId: payment.id, fromState: from, toState: change.patch.state, note: change.note });
    }
    const events = eventsOf(payment, change);
    if (events.length) await this.events.publish(tx, ...events);
  }
}

/** The change's events, with the payment's facts after it. */
function eventsOf(payment: Payment, change: PaymentChange): PaymentEvent[] {
  const facts = { paymentId: payment.id, orderId: payment.orderId, amount: payment.amount, currency: payment.currency, captured: payment.captured, refunded: payment.refunded };
  return change.events.map((name) => ({ name, version: 1, ...facts, ...(change.reason ? { reason: change.reason } : {}) }));
}

interface PaymentRow {
  id: string;
  order_id: string;
  created_by: string | null;
  request_key: string;
  amount: number;
  currency: string;
  captured: number;
  refunded: number;
  state: Payment['state'];
  capture_mode: Payment['captureMode'];
  provider_ref: string | null;
  created_at: Date;
  updated_at: Date;
}

function paymentOf(row: PaymentRow): Payment {
  return Object.assign(new Payment(), {
    id: row.id, orderId: row.order_id, createdBy: row.created_by, requestKey: row.request_key, amount: row.amount, currency: row.currency,
    captured: row.captured, refunded: row.refunded, state: row.state, captureMode: row.capture_mode, providerRef: row.provider_ref,
    createdAt: row.created_at, updatedAt: row.updated_at,
  } satisfies Payment);
}
