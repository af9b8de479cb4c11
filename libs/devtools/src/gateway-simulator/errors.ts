/** An error answered in Stripe's shape: `{ error: { type, code, message, ... } }`. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'idempotency_error' | 'card_error' | 'api_error',
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, unknown> } {
    return { error: { type: this.type, code: this.code, message: this.message, ...this.extra } };
  }
}

export const invalidRequest = (code: string, message: string, param?: string): SimulatorError =>
  new SimulatorError(400, 'invalid_request_error', code, message, param ? { param } : {});

export const notFound = (what: string, id: string): SimulatorError =>
  new SimulatorError(404, 'invalid_request_error', 'resource_missing', `No such ${what}: '${id}'`);
