/** Any UUID PostgreSQL's `uuid` type accepts in its canonical form (any version, any variant). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** For ids that arrive from outside (events, webhooks, contract calls) before they reach a `uuid` column. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
