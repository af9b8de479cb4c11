import { setMaxListeners } from 'node:events';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { abortableSleep } from './abortable-sleep.js';
import { declineFor } from './card-tokens.js';
import { SimulatorError, invalidRequest } from './errors.js';
import { FaultInjector, NO_FAULTS, parseFaultSettings, type TransportFault } from './faults.js';
import { IdempotencyStore, parseIdempotencyKey, type StoredResponse } from './idempotency-store.js';
import { Ledger } from './ledger.js';
import { parseCancelBody, parseCaptureBody, parsePaymentIntentBody, parseRefundBody } from './request-bodies.js';
import { WebhookSender, type WebhookTarget } from './webhooks.js';

export interface GatewaySimulatorOptions {
  /** Seed of the fault dice until `PUT /_control/faults` gives another; also what a reset returns to. */
  seed?: number;
  webhook?: WebhookTarget;
  logger?: boolean | { level: string };
}

type Params = { id: string };

/**
 * A card processor in miniature, Stripe-shaped: payment intents, captures, cancels and refunds
 * with its own in-memory ledger, idempotency keys, signed webhooks and faults set at runtime.
 */
export function buildGatewaySimulator(options: GatewaySimulatorOptions = {}): FastifyInstance {
  const initialSeed = options.seed ?? 1;
  const ledger = new Ledger();
  const idempotency = new IdempotencyStore();
  const faults = new FaultInjector({ ...NO_FAULTS, seed: initialSeed });
  const webhooks = new WebhookSender(options.webhook);
  // Ends the requests a "timeout" fault is holding when the server closes.
  const closing = new AbortController();
  // Every request waiting on latency or a held timeout listens to it.
  setMaxListeners(0, closing.signal);

  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, raw, done) => {
    if (raw === '') return done(null, undefined);
    try {
      done(null, JSON.parse(raw as string));
    } catch {
      done(invalidRequest('body_invalid', 'The request body is not valid JSON'), undefined);
    }
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SimulatorError) return reply.code(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send(new SimulatorError(status, 'invalid_request_error', 'request_invalid', (error as Error).message).toJSON());
    app.log.error(error);
    return reply.code(500).send(new SimulatorError(500, 'api_error', 'internal_error', 'The simulator failed unexpectedly').toJSON());
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(new SimulatorError(404, 'invalid_request_error', 'resource_missing', `Unrecognized request URL (${request.method}: ${request.url})`).toJSON()),
  );
  app.addHook('preClose', async () => {
    closing.abort();
    await webhooks.close();
  });

  const latency = () => abortableSleep(faults.settings.latencyMs, closing.signal);

  /**
   * The life of a mutating request: key checked and claimed (replay, 400 on another body, 409 in
   * flight), latency, then one roll of the fault dice. Only requests that executed are remembered.
   */
  async function mutate<Input>(request: FastifyRequest, reply: FastifyReply, parse: (body: unknown) => Input, execute: (input: Input, key: string) => unknown): Promise<void> {
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const input = parse(request.body);
    const claim = idempotency.claim(key, request.method, request.url.split('?')[0], request.body ?? {});
    await latency();
    if (claim.kind === 'replay') {
      await reply.code(claim.response.status).header('idempotent-replayed', 'true').send(claim.response.body);
      return;
    }
    const fault = faults.rollTransportFault();
    if (fault === 'server_error' || fault === 'unavailable') {
      idempotency.release(key);
      throw transportError(fault);
    }
    if (fault === 'timeout') {
      await holdUntilGone(request, faults.settings.timeoutHoldMs, closing.signal);
      idempotency.release(key);
      dropConnection(request, reply);
      return;
    }
    const response = run(() => execute(input, key), () => idempotency.release(key));
    idempotency.complete(key, response);
    if (fault === 'lost_response') return dropConnection(request, reply);
    await reply.code(response.status).send(response.body);
  }

  app.post('/v1/payment_intents', (request, reply) =>
    mutate(request, reply, parsePaymentIntentBody, (input, key) => {
      const decline = declineFor(input.token, () => faults.rollDecline());
      const intent = ledger.createPaymentIntent(input, key, decline);
      if (decline) {
        webhooks.send('payment_intent.payment_failed', { object: intent });
        throw new SimulatorError(402, 'card_error', 'card_declined', decline.message, { decline_code: decline.decline_code, payment_intent: intent });
      }
      webhooks.send(intent.status === 'captured' ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', { object: intent });
      return intent;
    }),
  );
  app.post<{ Params: Params }>('/v1/payment_intents/:id/capture', (request, reply) =>
    mutate(request, reply, parseCaptureBody, (input) => {
      const intent = ledger.capture(request.params.id, input.amount);
      webhooks.send('payment_intent.succeeded', { object: intent });
      return intent;
    }),
  );
  app.post<{ Params: Params }>('/v1/payment_intents/:id/cancel', (request, reply) =>
    mutate(request, reply, parseCancelBody, () => {
      const intent = ledger.cancel(request.params.id);
      webhooks.send('payment_intent.canceled', { object: intent });
      return intent;
    }),
  );
  app.post('/v1/refunds', (request, reply) =>
    mutate(request, reply, parseRefundBody, (input, key) => {
      const { refund, paymentIntent } = ledger.refund(input.payment_intent, input.amount, key);
      webhooks.send('charge.refunded', { object: paymentIntent, refund });
      return refund;
    }),
  );
  app.get<{ Params: Params }>('/v1/payment_intents/:id', async (request) => {
    await latency();
    return ledger.get(request.params.id);
  });
  /** How a client that lost an answer learns what its key did: an empty list means nothing happened. */
  app.get<{ Querystring: { idempotency_key?: string } }>('/v1/payment_intents', async (request) => {
    await latency();
    const key = request.query.idempotency_key;
    if (key === undefined) return { object: 'list', data: ledger.snapshot().payment_intents };
    const found = ledger.findByIdempotencyKey(key);
    return { object: 'list', data: found ? [found] : [] };
  });

  app.get('/ledger', async () => ledger.snapshot());
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/_control/faults', async () => faults.settings);
  app.put('/_control/faults', async (request) => {
    const settings = parseFaultSettings(request.body ?? {}, faults.settings.seed);
    faults.configure(settings, (request.body as { seed?: unknown } | undefined)?.seed !== undefined);
    return faults.settings;
  });
  app.get('/_control/webhook', async () => ({ target: webhooks.configured, deliveries: webhooks.deliveries }));
  app.put('/_control/webhook', async (request) => {
    webhooks.configure(parseWebhookTarget(request.body));
    return { target: webhooks.configured };
  });
  app.post<{ Params: Params }>('/_control/webhook/events/:id/resend', async (request, reply) => {
    if (!webhooks.resend(request.params.id)) throw new SimulatorError(404, 'invalid_request_error', 'resource_missing', `No sent event ${request.params.id} (or no webhook URL configured)`);
    return reply.code(202).send({ resent: request.params.id });
  });
  app.post('/_control/reset', async () => {
    ledger.clear();
    idempotency.clear();
    webhooks.clearLog();
    faults.configure({ ...NO_FAULTS, seed: initialSeed }, true);
    return { reset: true, faults: faults.settings };
  });

  return app;
}

/** Runs an executed request to its response; a client error is a result to remember, anything else is not. */
function run(execute: () => unknown, onCrash: () => void): StoredResponse {
  try {
    return { status: 200, body: execute() };
  } catch (error) {
    if (error instanceof SimulatorError && error.status < 500) return { status: error.status, body: error.toJSON() };
    onCrash();
    throw error;
  }
}

function transportError(fault: Extract<TransportFault, 'server_error' | 'unavailable'>): SimulatorError {
  return fault === 'server_error'
    ? new SimulatorError(500, 'api_error', 'simulated_server_error', 'Simulated processor error; nothing was charged')
    : new SimulatorError(503, 'api_error', 'simulated_unavailable', 'Simulated processor unavailability; nothing was charged');
}

/** Ends the exchange with no answer at all, as a dropped connection does. */
function dropConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  request.raw.socket.destroy();
}

function holdUntilGone(request: FastifyRequest, ms: number, closing: AbortSignal): Promise<void> {
  const socket = request.raw.socket;
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('close', done);
      closing.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('close', done);
    closing.addEventListener('abort', done, { once: true });
  });
}

function parseWebhookTarget(input: unknown): WebhookTarget | undefined {
  if (input === undefined || input === null) return undefined;
  const { url, secret } = input as { url?: unknown; secret?: unknown };
  if (url === null) return undefined;
  if (typeof url !== 'string' || !URL.canParse(url)) throw invalidRequest('parameter_invalid', 'url must be an absolute URL (or null to stop sending)', 'url');
  if (typeof secret !== 'string' || secret.length < 8) throw invalidRequest('parameter_invalid', 'secret must be at least 8 characters', 'secret');
  return { url, secret };
}
