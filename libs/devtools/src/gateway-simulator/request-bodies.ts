import { invalidRequest } from './errors.js';
import type { CaptureMethod, NewPaymentIntent } from './ledger.js';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()));
/** Stripe's ceiling: eight digits of minor units. */
const MAX_AMOUNT = 99_999_999;
const MAX_METADATA_KEYS = 50;

type Body = Record<string, unknown>;

export function parsePaymentIntentBody(input: unknown): NewPaymentIntent {
  const body = objectBody(input, ['amount', 'currency', 'token', 'capture_method', 'metadata']);
  const amount = requiredAmount(body, 'amount');
  const currency = body.currency;
  if (typeof currency !== 'string' || !CURRENCIES.has(currency.toLowerCase())) {
    throw invalidRequest('parameter_invalid', 'currency must be an ISO 4217 currency code, e.g. "eur"', 'currency');
  }
  const token = body.token;
  if (typeof token !== 'string' || token.length < 1 || token.length > 255) throw invalidRequest('parameter_missing', 'token must be a card token such as "tok_ok"', 'token');
  const captureMethod = body.capture_method ?? 'automatic';
  if (captureMethod !== 'automatic' && captureMethod !== 'manual') throw invalidRequest('parameter_invalid', 'capture_method must be "automatic" or "manual"', 'capture_method');
  return { amount, currency: currency.toLowerCase(), token, capture_method: captureMethod as CaptureMethod, metadata: metadataOf(body.metadata) };
}

export function parseCaptureBody(input: unknown): { amount?: number } {
  const body = objectBody(input, ['amount']);
  return body.amount === undefined ? {} : { amount: requiredAmount(body, 'amount') };
}

export function parseCancelBody(input: unknown): Record<string, never> {
  objectBody(input, []);
  return {};
}

export function parseRefundBody(input: unknown): { payment_intent: string; amount?: number } {
  const body = objectBody(input, ['payment_intent', 'amount']);
  if (typeof body.payment_intent !== 'string' || body.payment_intent === '') throw invalidRequest('parameter_missing', 'payment_intent is required', 'payment_intent');
  return { payment_intent: body.payment_intent, ...(body.amount === undefined ? {} : { amount: requiredAmount(body, 'amount') }) };
}

/** An absent body is an empty one (a bodiless POST, as a cancel usually is). */
function objectBody(input: unknown, allowed: string[]): Body {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalidRequest('parameter_invalid', 'The request body must be a JSON object');
  for (const key of Object.keys(input)) if (!allowed.includes(key)) throw invalidRequest('parameter_unknown', `Received unknown parameter: ${key}`, key);
  return input as Body;
}

function requiredAmount(body: Body, name: string): number {
  const value = body[name];
  if (value === undefined) throw invalidRequest('parameter_missing', `Missing required param: ${name}`, name);
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > MAX_AMOUNT) {
    throw invalidRequest('parameter_invalid', `${name} must be a positive integer of minor units (at most ${MAX_AMOUNT})`, name);
  }
  return value as number;
}

function metadataOf(input: unknown): Record<string, string> {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidRequest('parameter_invalid', 'metadata must be an object of strings', 'metadata');
  const entries = Object.entries(input);
  if (entries.length > MAX_METADATA_KEYS || entries.some(([key, value]) => typeof value !== 'string' || key.length > 40 || value.length > 500)) {
    throw invalidRequest('parameter_invalid', `metadata holds at most ${MAX_METADATA_KEYS} string values (keys up to 40, values up to 500 characters)`, 'metadata');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
