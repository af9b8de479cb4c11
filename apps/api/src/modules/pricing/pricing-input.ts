import type { PriceCartInput } from '#contracts';
import { InvalidPricingInputError } from './pricing.errors.js';

const MAX_LINES = 200;
const MAX_QUANTITY = 1_000_000;
const MAX_UNIT_PRICE = 1_000_000_000_000;
const MAX_CODES = 20;
export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{2,63}$/;

const isAmount = (value: unknown, max = MAX_UNIT_PRICE) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;

/** Contract input arrives as plain JSON (maybe over a transport): checked before any arithmetic. */
export function checkPriceCartInput(input: PriceCartInput): void {
  const fail = (detail: string) => {
    throw new InvalidPricingInputError(detail);
  };
  if (typeof input?.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency)) fail('currency must be an ISO 4217 code');
  if (!Array.isArray(input.lines) || input.lines.length > MAX_LINES) fail(`lines must be a list of at most ${MAX_LINES}`);
  for (const line of input.lines) {
    if (typeof line?.sku !== 'string' || typeof line.lineId !== 'string') fail('every line needs a lineId and a sku');
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) fail(`quantity of ${line.sku} must be an integer from 1 to ${MAX_QUANTITY}`);
    if (!isAmount(line.unitPrice)) fail(`unitPrice of ${line.sku} must be a non-negative integer of minor units`);
    if (!Array.isArray(line.categoryIds) || (line.brandId !== null && typeof line.brandId !== 'string')) fail(`categoryIds and brandId of ${line.sku} are malformed`);
  }
  if (!Array.isArray(input.couponCodes) || input.couponCodes.length > MAX_CODES || input.couponCodes.some((c) => typeof c !== 'string')) {
    fail(`couponCodes must be a list of at most ${MAX_CODES} strings`);
  }
  if (input.customerId !== null && typeof input.customerId !== 'string') fail('customerId must be a string or null');
  if (input.email !== undefined && (typeof input.email !== 'string' || input.email.length > 320)) fail('email must be a string of at most 320 characters');
  if (input.shipping !== null && (typeof input.shipping !== 'object' || !isAmount(input.shipping.amount))) fail('shipping.amount must be a non-negative integer of minor units');
  if (input.destination !== null && (typeof input.destination?.countryCode !== 'string' || !/^[A-Za-z]{2}$/.test(input.destination.countryCode))) {
    fail('destination.countryCode must be an ISO 3166-1 alpha-2 code');
  }
  if (input.at !== undefined && Number.isNaN(Date.parse(input.at))) fail('at must be an ISO 8601 instant');
}
