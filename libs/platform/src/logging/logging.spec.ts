import { LogCapture } from '#testing';
import { CENSOR, redactLogRecord } from './log-redaction.js';
import { createRootLogger, maskUrl } from './logging.module.js';

function logged(write: (logger: ReturnType<typeof createRootLogger>) => void): Record<string, unknown> {
  const capture = new LogCapture();
  write(createRootLogger('info', capture));
  return capture.lines[0]!;
}

class TokenError extends Error {
  constructor(readonly request: { headers: Record<string, string> }) {
    super('upstream refused');
  }
}

describe('log redaction', () => {
  it('censors credentials in headers and bodies', () => {
    const line = logged((logger) =>
      logger.info({
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', accept: 'application/json' } },
        body: { email: 'a@b.c', password: 'hunter2hunter2', refreshToken: 'rt_123' },
      }),
    );
    expect((line.req as { headers: unknown }).headers).toEqual({ authorization: CENSOR, cookie: CENSOR, accept: 'application/json' });
    expect(line.body).toEqual({ email: 'a@b.c', password: CENSOR, refreshToken: CENSOR });
  });

  it('censors the cart token, the proxy secrets and webhook signatures', () => {
    const secret = { 'x-cart-token': 'ct_1', 'x-proxy-exchange-secret': 'px_2', 'x-legacy-bridge-key': 'lb_3', 'stripe-signature': 't=1,v1=ab', 'ficus-signature': 't=1,v1=cd' };
    const line = logged((logger) => logger.warn({ req: { headers: { ...secret, 'idempotency-key': 'k-1' } } }));
    expect((line.req as { headers: unknown }).headers).toEqual({ ...Object.fromEntries(Object.keys(secret).map((name) => [name, CENSOR])), 'idempotency-key': 'k-1' });
  });

  it('censors at any depth and in arrays, and leaves the logged objects as they were', () => {
    const order = { customer: { account: { password: 'p4ssw0rd-long', email: 'a@b.c' } }, payments: [{ cardNumber: '4242424242424242', last4: '4242' }] };
    const before = structuredClone(order);
    const line = logged((logger) => logger.info({ order }, 'placed'));
    expect(line.order).toEqual({ customer: { account: { password: CENSOR, email: 'a@b.c' } }, payments: [{ cardNumber: CENSOR, last4: '4242' }] });
    expect(order).toEqual(before);
  });

  it("censors an error's own fields and keeps its class, message and stack", () => {
    const error = new TokenError({ headers: { authorization: 'Bearer secret-token', accept: '*/*' } });
    const line = logged((logger) => logger.error({ err: error }, 'call failed'));
    expect(line.err).toMatchObject({ type: 'TokenError', message: 'upstream refused', request: { headers: { authorization: CENSOR, accept: '*/*' } } });
    expect((line.err as { stack: string }).stack).toBe(error.stack);
    expect(error.request.headers.authorization).toBe('Bearer secret-token');
  });

  it('returns a record without secrets as it is, and leaves buffers and class instances to the serializers', () => {
    const record = { requestId: 'r-1', req: { method: 'GET', headers: { accept: '*/*' } }, status: 200, body: Buffer.from('token') };
    expect(redactLogRecord(record)).toBe(record);
    const nested = { a: { b: { c: { d: { e: { f: { g: { h: { i: { password: 'too deep to matter' } } } } } } } } } };
    expect(() => redactLogRecord(nested)).not.toThrow();
  });

  it('masks tokens in query strings but keeps the rest', () => {
    expect(maskUrl('/reset?token=s3cret&lang=en&access_token=x')).toBe('/reset?token=[Redacted]&lang=en&access_token=[Redacted]');
    expect(maskUrl('/products?page=2')).toBe('/products?page=2');
  });
});
