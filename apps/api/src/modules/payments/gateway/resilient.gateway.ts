import { Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  IsolatedCircuitError,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { Gauge, type Registry } from 'prom-client';
import { GatewayTransientError, type PaymentGateway } from './payment-gateway.js';

export interface ResilienceOptions {
  /** Tries per call, the first included. */
  attempts: number;
  /** Bound on one call with all its tries and backoffs. */
  budgetMs: number;
  timeoutMs: number;
  /** Share of transient failures among counted calls in the window that opens the breaker, in (0, 1). */
  breakerThreshold: number;
  breakerWindowMs: number;
  /** Below this rate of counted calls over the window, the breaker never opens (a few failures at night are no outage). */
  breakerMinimumRps: number;
  halfOpenAfterMs: number;
  concurrency: number;
}

/** Nothing reached the provider: the breaker is open or the bulkhead is full. */
export class GatewayUnavailableError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('payment provider unavailable');
    this.name = 'GatewayUnavailableError';
  }
}

/** A try may have reached the provider and we did not hear back: only a lookup by key can tell. */
export class GatewayOutcomeUnknownError extends Error {
  constructor(override readonly cause: unknown) {
    super(`outcome unknown: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'GatewayOutcomeUnknownError';
  }
}

const BREAKER_GAUGE_VALUE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.Open]: 1,
  [CircuitState.HalfOpen]: 2,
  [CircuitState.Isolated]: 1,
};

const BREAKER_STATE_NAME: Record<CircuitState, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Every gateway call goes through, outer to inner: retry (same provider key; exponential backoff with
 * decorrelated jitter; bounded tries and total budget) -> circuit breaker (ratio of transient
 * failures over a sliding window, with a minimum rate; declines are not handled by the policy, so they
 * count neither as failures nor as successes) -> timeout -> bulkhead.
 */
export class ResilientGateway {
  private readonly logger = new Logger('PaymentGateway');
  private readonly breaker;
  private readonly policy;
  private openedAt = 0;

  constructor(
    readonly gateway: PaymentGateway,
    private readonly options: ResilienceOptions,
    registry: Registry,
  ) {
    const transient = handleWhen((error) => error instanceof GatewayTransientError || error instanceof TaskCancelledError);
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new SamplingBreaker({
        threshold: options.breakerThreshold,
        duration: options.breakerWindowMs,
        minimumRps: options.breakerMinimumRps,
      }),
    });
    this.policy = wrap(
      retry(transient, { maxAttempts: options.attempts - 1, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 2000 }) }),
      this.breaker,
      timeout(options.timeoutMs, TimeoutStrategy.Aggressive),
      bulkhead(options.concurrency, options.concurrency * 10),
    );
    const gauge = new Gauge({
      name: 'payment_gateway_breaker_state',
      help: 'Circuit breaker per payment provider: 0 closed, 1 open, 2 half-open',
      labelNames: ['provider'] as const,
      registers: [registry],
    });
    const provider = gateway.provider;
    gauge.set({ provider }, 0);
    this.breaker.onStateChange((state) => {
      if (state === CircuitState.Open) this.openedAt = Date.now();
      gauge.set({ provider }, BREAKER_GAUGE_VALUE[state]);
      const name = BREAKER_STATE_NAME[state];
      this.logger.warn({ provider, state: name }, `payment gateway breaker ${name}`);
    });
  }

  /** Seconds until the open breaker lets a probe through, or 0 when calls may go. */
  openForSeconds(): number {
    if (this.breaker.state !== CircuitState.Open) return 0;
    const left = this.openedAt + this.options.halfOpenAfterMs - Date.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /**
   * Runs one provider call with the policies. Declines and rejections pass through; a call that never
   * left throws GatewayUnavailableError; one that may have left and was not answered throws
   * GatewayOutcomeUnknownError.
   */
  async call<T>(fn: (gateway: PaymentGateway, signal: AbortSignal) => Promise<T>): Promise<T> {
    let sent = false;
    try {
      return await this.policy.execute(({ signal }) => {
        sent = true;
        return fn(this.gateway, signal);
      }, AbortSignal.timeout(this.options.budgetMs));
    } catch (error) {
      const unavailable = error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError || error instanceof BulkheadRejectedError;
      if (unavailable && !sent) throw new GatewayUnavailableError(Math.max(1, this.openForSeconds()));
      if (unavailable || error instanceof GatewayTransientError || error instanceof TaskCancelledError) throw new GatewayOutcomeUnknownError(error);
      throw error;
    }
  }
}
