const SECRET_KEY = /pass(word)?|secret|token|auth|session|cookie|csrf|card|cvc|cvv|iban|email|phone|ssn/i;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
const LONG_NUMBER = /\d{6,}/g;
const MAX_TEXT = 80;

export const REDACTED = '[redacted]';

/** Whether a key or a path names something a sample must never show. */
export const isSecretName = (name: string): boolean => SECRET_KEY.test(name);

/**
 * A value as a stored sample may show it: secret-looking keys blanked, e-mail addresses and long
 * digit runs (card, phone and account numbers) masked, long text cut. Samples are read by admins,
 * not by the shoppers whose data they came from.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const masked = value.replace(EMAIL, '***@***').replace(LONG_NUMBER, (digits) => `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`);
    return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT)}…(${masked.length} chars)` : masked;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 3) return Array.isArray(value) ? `[array of ${value.length}]` : '[object]';
  if (Array.isArray(value)) return value.slice(0, 5).map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value).slice(0, 20).map(([key, item]) => [key, isSecretName(key) ? REDACTED : redact(item, depth + 1)]));
}

/** A request target for a sample: the path, and query values blanked where their names look secret. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  for (const key of [...params.keys()]) if (isSecretName(key)) params.set(key, REDACTED);
  return `${url.slice(0, at)}?${params.toString()}`;
}
