import pino from 'pino';
import { LogCapture } from '#testing';
import { maskUrl, REDACTED_PATHS } from './logging.module.js';

describe('log redaction', () => {
  it('censors credentials in headers and bodies', () => {
    const capture = new LogCapture();
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } }, capture);
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', accept: 'application/json' } },
      body: { email: 'a@b.c', password: 'hunter2hunter2', refreshToken: 'rt_123' },
    });
    const [line] = capture.lines as [{ req: { headers: Record<string, string> }; body: Record<string, string> }];
    expect(line.req.headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', accept: 'application/json' });
    expect(line.body).toEqual({ email: 'a@b.c', password: '[Redacted]', refreshToken: '[Redacted]' });
  });

  it('censors the cart token, the proxy secrets and webhook signatures', () => {
    const capture = new LogCapture();
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } }, capture);
    const secret = { 'x-cart-token': 'ct_1', 'x-proxy-exchange-secret': 'px_2', 'x-legacy-bridge-key': 'lb_3', 'stripe-signature': 't=1,v1=ab', 'ficus-signature': 't=1,v1=cd' };
    logger.warn({ req: { headers: { ...secret, 'idempotency-key': 'k-1' } } });
    const [line] = capture.lines as [{ req: { headers: Record<string, string> } }];
    expect(line.req.headers).toEqual({ ...Object.fromEntries(Object.keys(secret).map((name) => [name, '[Redacted]'])), 'idempotency-key': 'k-1' });
  });

  it('masks tokens in query strings but keeps the rest', () => {
    expect(maskUrl('/reset?token=s3cret&lang=en&access_token=x')).toBe('/reset?token=[Redacted]&lang=en&access_token=[Redacted]');
    expect(maskUrl('/products?page=2')).toBe('/products?page=2');
  });
});
