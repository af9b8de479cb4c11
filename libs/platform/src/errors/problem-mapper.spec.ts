import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainError } from './domain-error.js';
import { toProblem } from './problem-mapper.js';
import { RequestValidationException } from './validation.js';

const facts = { instance: '/api/v1/things', requestId: 'req-1' };

class OutOfStockError extends DomainError {
  constructor(sku: string) {
    super('INVENTORY.OUT_OF_STOCK', 'conflict', `SKU ${sku} has 0 available`, { sku });
  }
}

describe('toProblem', () => {
  it('maps a domain error by kind, with its code, detail and extensions', () => {
    const { problem, unexpected } = toProblem(new OutOfStockError('TSHIRT-RED-M'), facts);
    expect(problem).toEqual({
      type: '/problems/out-of-stock',
      title: 'Out of stock',
      status: 409,
      detail: 'SKU TSHIRT-RED-M has 0 available',
      instance: '/api/v1/things',
      requestId: 'req-1',
      code: 'INVENTORY.OUT_OF_STOCK',
      sku: 'TSHIRT-RED-M',
    });
    expect(unexpected).toBe(false);
  });

  it('lists each bad field of a validation failure', () => {
    const error = new RequestValidationException([
      { field: 'quantity', message: 'quantity must be a positive number' },
      { field: 'address.countryCode', message: 'countryCode must be a valid ISO31661 Alpha2 code' },
    ]);
    const { problem } = toProblem(error, facts);
    expect(problem).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION_FAILED', type: '/problems/validation-failed' });
    expect(problem.errors).toHaveLength(2);
    expect(problem.errors?.[1]).toEqual({ field: 'address.countryCode', message: expect.any(String) });
  });

  it('names Fastify body errors for clients', () => {
    const tooLarge = new HttpException('Request body is too large', 413, { cause: { code: 'FST_ERR_CTP_BODY_TOO_LARGE' } });
    expect(toProblem(tooLarge, facts).problem).toMatchObject({ status: 413, code: 'REQUEST.BODY_TOO_LARGE', title: 'Content too large' });
  });

  it('keeps Nest HTTP exceptions as their status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), facts).problem).toMatchObject({
      status: 404,
      code: 'HTTP.NOT_FOUND',
      detail: 'Cannot GET /x',
    });
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad']), facts).problem.detail).toBe('a is bad; b is bad');
    expect(toProblem(new ThrottlerException(), facts).problem).toMatchObject({ status: 429, code: 'HTTP.TOO_MANY_REQUESTS' });
  });

  it('answers 503 with Retry-After when the database cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('query failed'), { driverError: refused });
    const { problem, headers } = toProblem(wrapped, facts);
    expect(problem).toMatchObject({ status: 503, code: 'PLATFORM.UNAVAILABLE' });
    expect(headers['retry-after']).toBe('5');
  });

  it('hides the internals of an unexpected error and flags it for the log', () => {
    const { problem, unexpected } = toProblem(new TypeError('cannot read x of undefined at /srv/app/secret.js:10'), facts);
    expect(unexpected).toBe(true);
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toMatch(/secret|undefined|\.js/);
  });

  it('does not mistake a bad query for an outage', () => {
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    expect(toProblem(syntax, facts).problem.status).toBe(500);
  });
});
