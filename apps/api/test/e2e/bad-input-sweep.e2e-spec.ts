// "Bad input gets a clear error, never a 500": every operation of the OpenAPI document, as an admin
// and anonymously, with malformed path parameters, query values and bodies derived from its schema
// (each field of the wrong type, required fields missing, unknown fields, not an object at all).
// Every answer must be a problem+json below 500, except what a missing dependency may answer (the
// gateway simulator is not running here: 502/503/504 with a problem).
import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body } from '#testing';
import { startApi } from './api-harness.js';

type Schema = { type?: string; $ref?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; format?: string; allOf?: Schema[] };
interface Operation {
  method: string;
  path: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Shot {
  what: string;
  method: string;
  path: string;
  body?: string;
  query?: string;
  contentType?: string;
}

const DEPENDENCY_STATUSES = new Set([502, 503, 504]);
/** The test fixture that fails on purpose (observability and errors e2e). */
const DELIBERATE_500 = '/api/v1/fixtures/boom';
const BAD_PATH_VALUES = ['not-a-uuid', randomUUID(), 'x'.repeat(3000), '%E2%98%83%00', '-1'];
const BAD_QUERY_VALUES = ['x'.repeat(3000), '-1', 'NaN', '1e309', '[]', 'true'];
const NOT_OBJECTS = ['[]', '"text"', 'null', '12', '{"a":'];

function wrongValue(schema: Schema | undefined): unknown {
  switch (schema?.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not an array';
    default:
      return schema?.$ref || schema?.properties || schema?.allOf ? 'not an object' : { unexpected: ['structure'] };
  }
}

describe('bad input on every route: a problem, never a 500 (real HTTP, PostgreSQL, Redis)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let document: { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>; components: { schemas: Record<string, Schema> } };

  beforeAll(async () => {
    api = await startApi({ env: { THROTTLE_LIMIT: '1000000', LOGIN_LIMIT_PER_IP: '1000000', LOGIN_LIMIT_PER_ACCOUNT: '1000000' } });
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    admin = (await identity.createAccount(anonymousContext('sweep'), { email: `sweep-${randomUUID()}@example.com`, password: 'sweep password 1', roles: ['customer', 'admin'] })).tokens.accessToken;
    document = await body(await fetch(`${api.url}/docs/openapi.json`));
  }, 60_000);
  afterAll(() => api.close());

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  function operations(): Operation[] {
    return Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({ ...operation, method: method.toUpperCase(), path }))
        .filter((operation) => operation.path !== DELIBERATE_500),
    );
  }

  function shots(operation: Operation): Shot[] {
    const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
    const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
    const fill = (value: string) => operation.path.replace(/\{[^}]+\}/g, value);
    const base = fill(randomUUID());
    const out: Shot[] = [];
    if (pathParams.length > 0) for (const value of BAD_PATH_VALUES) out.push({ what: `path ${value.slice(0, 20)}`, method: operation.method, path: fill(encodeURIComponent(value)) });
    for (const param of queryParams) {
      for (const value of BAD_QUERY_VALUES) out.push({ what: `query ${param.name}=${value.slice(0, 20)}`, method: operation.method, path: base, query: `${param.name}=${encodeURIComponent(value)}` });
      out.push({ what: `query ${param.name} repeated`, method: operation.method, path: base, query: `${param.name}=1&${param.name}=2&${param.name}[]=3` });
    }
    const schema = resolve(operation.requestBody?.content?.['application/json']?.schema);
    if (operation.requestBody || ['POST', 'PUT', 'PATCH'].includes(operation.method)) {
      for (const text of NOT_OBJECTS) out.push({ what: `body ${text}`, method: operation.method, path: base, body: text });
      out.push({ what: 'unknown field', method: operation.method, path: base, body: JSON.stringify({ definitelyNotAField: 1 }) });
      out.push({ what: 'prototype pollution', method: operation.method, path: base, body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' });
      out.push({ what: 'deep nesting', method: operation.method, path: base, body: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}` });
      out.push({ what: 'form body', method: operation.method, path: base, body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' });
      for (const [name, property] of Object.entries(schema?.properties ?? {})) {
        out.push({ what: `${name} of the wrong type`, method: operation.method, path: base, body: JSON.stringify({ [name]: wrongValue(resolve(property)) }) });
      }
    }
    return out;
  }

  async function fire(shot: Shot, token: string | null, odd = false): Promise<{ status: number; type: string | null; text: string }> {
    const headers: Record<string, string> = odd
      ? { 'idempotency-key': 'k'.repeat(300), 'x-cart-token': '', 'x-request-id': 'bad id', 'if-none-match': '"' }
      : { 'idempotency-key': randomUUID(), 'x-cart-token': 'x'.repeat(43) };
    if (token) headers.authorization = `Bearer ${token}`;
    if (shot.body !== undefined) headers['content-type'] = shot.contentType ?? 'application/json';
    const response = await fetch(`${api.url}${shot.path}${shot.query ? `?${shot.query}` : ''}`, { method: shot.method, headers, body: shot.body });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  }

  it('answers every malformed request to every route with a problem below 500', async () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(80);
    const failures: string[] = [];
    let sent = 0;
    for (const operation of all) {
      for (const shot of shots(operation)) {
        for (const token of [admin, null]) {
          const answer = await fire(shot, token);
          sent += 1;
          const ok = answer.status < 400 || (answer.type?.startsWith('application/problem+json') && (answer.status < 500 || DEPENDENCY_STATUSES.has(answer.status)));
          if (!ok) failures.push(`${shot.method} ${operation.path} (${shot.what}, ${token ? 'admin' : 'anonymous'}): ${answer.status} ${answer.type} ${answer.text.slice(0, 200)}`);
        }
      }
    }
    // Odd headers (an overlong Idempotency-Key, an empty cart token, a bad request id) on a valid-looking call of each route.
    for (const operation of all) {
      const shot = { what: 'odd headers', method: operation.method, path: operation.path.replace(/\{[^}]+\}/g, randomUUID()), ...(['POST', 'PUT', 'PATCH'].includes(operation.method) ? { body: '{}' } : {}) };
      const answer = await fire(shot, admin, true);
      sent += 1;
      const ok = answer.status < 400 || (answer.type?.startsWith('application/problem+json') && (answer.status < 500 || DEPENDENCY_STATUSES.has(answer.status)));
      if (!ok) failures.push(`${shot.method} ${operation.path} (odd headers): ${answer.status} ${answer.type} ${answer.text.slice(0, 200)}`);
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 300_000);
});
