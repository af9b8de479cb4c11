import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PAYMENTS_API } from '#contracts';
import { AppConfig, MetricsRegistry } from '#platform';
import { ResilientGateway } from './gateway/resilient.gateway.js';
import type { PaymentGateway } from './gateway/payment-gateway.js';
import { SimulatorGateway } from './gateway/simulator.gateway.js';
import { StripeGateway } from './gateway/stripe.gateway.js';
import { PaymentsReconciler } from './jobs/payments-reconciler.js';
import { PAYMENTS_RECONCILE_QUEUE, ReconcilePaymentsProcessor } from './jobs/reconcile-payments.processor.js';
import { PaymentAttempt } from './payment-attempt.entity.js';
import { PaymentHistory } from './payment-history.entity.js';
import { Payment } from './payment.entity.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsFacade } from './payments.facade.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import { Refund } from './refund.entity.js';
import { WebhookEvent } from './webhook-event.entity.js';
import { PaymentsWebhooksController } from './webhooks/payments-webhooks.controller.js';
import { PaymentsWebhooksService } from './webhooks/payments-webhooks.service.js';
import { WEBHOOK_VERIFIER, type WebhookVerifier } from './webhooks/provider-event.js';
import { RawBodySetup } from './webhooks/raw-body.setup.js';
import { SimulatorWebhooks } from './webhooks/simulator-webhooks.js';
import { StripeWebhooks } from './webhooks/stripe-webhooks.js';

/** The gateway PAYMENTS_PROVIDER selects, wrapped in the resilience policies. */
const selectedGateway = (config: AppConfig): PaymentGateway =>
  config.get('PAYMENTS_PROVIDER') === 'stripe'
    ? new StripeGateway({ secretKey: config.get('STRIPE_SECRET_KEY')!, timeoutMs: config.get('PAYMENTS_GATEWAY_TIMEOUT_MS') })
    : new SimulatorGateway(config.get('GATEWAY_SIMULATOR_URL'));

const resilientGateway = (config: AppConfig, metrics: MetricsRegistry) =>
  new ResilientGateway(
    selectedGateway(config),
    {
      attempts: config.get('PAYMENTS_RETRY_ATTEMPTS'),
      budgetMs: config.get('PAYMENTS_RETRY_BUDGET_MS'),
      timeoutMs: config.get('PAYMENTS_GATEWAY_TIMEOUT_MS'),
      breakerThreshold: config.get('PAYMENTS_BREAKER_THRESHOLD'),
      breakerWindowMs: config.get('PAYMENTS_BREAKER_WINDOW_MS'),
      breakerMinimumRps: config.get('PAYMENTS_BREAKER_MIN_RPS'),
      halfOpenAfterMs: config.get('PAYMENTS_BREAKER_HALF_OPEN_MS'),
      concurrency: config.get('PAYMENTS_GATEWAY_CONCURRENCY'),
    },
    metrics.registry,
  );

/** Webhooks are taken from the selected provider only. */
const webhookVerifier = (config: AppConfig): WebhookVerifier =>
  config.get('PAYMENTS_PROVIDER') === 'stripe'
    ? new StripeWebhooks(config.get('STRIPE_WEBHOOK_SECRET')!)
    : new SimulatorWebhooks(config.get('PAYMENTS_SIMULATOR_WEBHOOK_SECRET'));

/** Payments per order through a card provider, with attempts, refunds and reconciliation. Exports only PAYMENTS_API. */
@Module({
  imports: [TypeOrmModule.forFeature([Payment, PaymentAttempt, Refund, PaymentHistory, WebhookEvent]), BullModule.registerQueue({ name: PAYMENTS_RECONCILE_QUEUE })],
  controllers: [PaymentsController, PaymentsWebhooksController],
  providers: [
    { provide: ResilientGateway, inject: [AppConfig, MetricsRegistry], useFactory: resilientGateway },
    PaymentsRepository,
    PaymentsService,
    PaymentsReconciler,
    { provide: WEBHOOK_VERIFIER, inject: [AppConfig], useFactory: webhookVerifier },
    PaymentsWebhooksService,
    RawBodySetup,
    ReconcilePaymentsProcessor,
    { provide: PAYMENTS_API, useClass: PaymentsFacade },
  ],
  exports: [PAYMENTS_API],
})
export class PaymentsModule {}
