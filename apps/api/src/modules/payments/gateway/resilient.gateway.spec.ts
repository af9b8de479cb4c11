import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { type Charge, GatewayDeclinedError, GatewayTransientError, type PaymentGateway } from './payment-gateway.js';
import { GatewayOutcomeUnknownError, GatewayUnavailableError, ResilientGateway, type ResilienceOptions } from './resilient.gateway.js';

const charge: Charge = { ref: 'pi_1', status: 'captured', amountCaptured: 100, amountRefunded: 0 };

/** A provider whose answers the test scripts, one per call; it records the keys it was sent. */
class ScriptedGateway implements PaymentGateway {
  readonly provider = 'scripted';
  readonly keys: string[] = [];
  constructor(public script: Array<'ok' | 'decline' | 'transient' | 'hang'>) {}
  async authorize(key: string, _request: unknown, signal?: AbortSignal): Promise<Charge> {
    this.keys.push(key);
    const next = this.script.shift() ?? 'ok';
    if (next === 'decline') throw new GatewayDeclinedError('generic_decline', null);
    if (next === 'transient') throw new GatewayTransientError('503');
    if (next === 'hang') await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new GatewayTransientError('aborted'))));
    return charge;
  }
  capture = this.authorize.bind(this) as never;
  void = this.authorize.bind(this) as never;
  refund = this.authorize.bind(this) as never;
  lookupByKey = async () => null;
}

const options: ResilienceOptions = { attempts: 3, budgetMs: 2000, timeoutMs: 100, breakerThreshold: 0.5, breakerWindowMs: 1000, breakerMinimumRps: 3, halfOpenAfterMs: 200, concurrency: 4 };
const request = { amount: 100, currency: 'EUR', token: 'tok_ok', capture: true, metadata: {} };

function setup(script: ScriptedGateway['script'], overrides: Partial<ResilienceOptions> = {}) {
  const fake = new ScriptedGateway(script);
  const registry = new Registry();
  const gateway = new ResilientGateway(fake, { ...options, ...overrides }, registry);
  const authorize = () => gateway.call((g, signal) => g.authorize('key-1', request, signal));
  const gauge = async () => (await registry.getSingleMetric('payment_gateway_breaker_state')!.get()).values[0]!.value;
  return { fake, gateway, authorize, gauge };
}

describe('ResilientGateway (retry -> breaker -> timeout -> bulkhead)', () => {
  it('retries transient failures with the same provider key', async () => {
    const { fake, authorize } = setup(['transient', 'transient', 'ok']);
    await expect(authorize()).resolves.toEqual(charge);
    expect(fake.keys).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('reports an outcome unknown when every try failed after being sent, and times out hung calls', async () => {
    const { fake, authorize } = setup(['hang', 'transient', 'hang'], { breakerMinimumRps: 1000 });
    await expect(authorize()).rejects.toBeInstanceOf(GatewayOutcomeUnknownError);
    expect(fake.keys).toHaveLength(3);
  });

  it('never retries a decline, and declines alone never open the breaker', async () => {
    const { fake, gateway, authorize, gauge } = setup(Array(10).fill('decline'));
    for (let i = 0; i < 10; i++) await expect(authorize()).rejects.toBeInstanceOf(GatewayDeclinedError);
    expect(fake.keys).toHaveLength(10);
    expect([gateway.openForSeconds(), await gauge()]).toEqual([0, 0]);
  });

  describe('breaker on the share of transient failures over the window', () => {
    // One try per call, so each call is one sample; at least 5 samples in the 1 s window before it may open.
    const single = { attempts: 1, breakerThreshold: 0.5, breakerWindowMs: 1000, breakerMinimumRps: 5 };
    const run = async (authorize: () => Promise<Charge>, n: number) => {
      for (let i = 0; i < n; i++) await authorize().catch(() => undefined);
    };

    it('stays closed under the minimum rate, however many of the calls fail', async () => {
      const { gateway, authorize, gauge } = setup(Array(4).fill('transient'), single);
      await run(authorize, 4);
      expect([gateway.openForSeconds(), await gauge()]).toEqual([0, 0]);
    });

    it('stays closed while failures are at most the threshold share', async () => {
      const { gateway, authorize, gauge } = setup([...Array(6).fill('ok'), ...Array(4).fill('transient')], single);
      await run(authorize, 10);
      expect([gateway.openForSeconds(), await gauge()]).toEqual([0, 0]);
      await expect(authorize()).resolves.toEqual(charge);
    });

    it('opens above the threshold share, logs it, and refuses without sending', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { fake, gateway, authorize, gauge } = setup([...Array(3).fill('ok'), ...Array(4).fill('transient')], single);
      await run(authorize, 7);
      expect([gateway.openForSeconds(), await gauge()]).toEqual([1, 1]);
      expect(warn).toHaveBeenCalledWith({ provider: 'scripted', state: 'open' }, 'payment gateway breaker open');
      const sent = fake.keys.length;
      await expect(authorize()).rejects.toBeInstanceOf(GatewayUnavailableError);
      expect(fake.keys).toHaveLength(sent);
      warn.mockRestore();
    });

    it('counts declines neither as failures nor as successes', async () => {
      // Were the 10 declines successes, 3 failures of 15 calls would keep it closed.
      const { gateway, authorize, gauge } = setup(['ok', 'ok', 'transient', 'transient', ...Array(10).fill('decline'), 'transient'], single);
      await run(authorize, 15);
      expect([gateway.openForSeconds(), await gauge()]).toEqual([1, 1]);
    });

    it('lets one half-open probe through: a good one closes it, a failing one opens it again', async () => {
      const script = [...Array(5).fill('transient'), 'transient', 'ok'];
      const { fake, gateway, authorize, gauge } = setup(script, single);
      await run(authorize, 5);
      expect(await gauge()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await expect(authorize()).rejects.toBeInstanceOf(GatewayOutcomeUnknownError);
      expect([gateway.openForSeconds(), await gauge()]).toEqual([1, 1]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await expect(authorize()).resolves.toEqual(charge);
      expect([gateway.openForSeconds(), await gauge()]).toEqual([0, 0]);
      expect(fake.keys).toHaveLength(7);
    });
  });
});
