import { randomUUID } from 'node:crypto';
import { type GatewaySimulatorOptions, buildGatewaySimulator } from './server.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A thin HTTP client for the simulator's specs; every call is real HTTP. */
export class SimulatorClient {
  constructor(readonly url: string) {}

  post(path: string, body: unknown, key: string | null = randomUUID(), timeoutMs = 5_000): Promise<Answer> {
    return this.call('POST', path, body, key === null ? {} : { 'idempotency-key': key }, timeoutMs);
  }

  get(path: string): Promise<Answer> {
    return this.call('GET', path);
  }

  async faults(settings: Record<string, number>): Promise<void> {
    const answer = await this.call('PUT', '/_control/faults', settings);
    if (answer.status !== 200) throw new Error(`PUT /_control/faults: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async ledger(): Promise<any> {
    return (await this.get('/ledger')).body;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<Answer> {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
}

export async function startSimulator(options: GatewaySimulatorOptions = {}): Promise<{ client: SimulatorClient; close: () => Promise<void> }> {
  const app = buildGatewaySimulator(options);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { client: new SimulatorClient(url), close: () => app.close() };
}

export const charge = (overrides: Record<string, unknown> = {}) => ({ amount: 1999, currency: 'eur', token: 'tok_ok', capture_method: 'automatic', ...overrides });

/** One in-process simulator for a spec file, reset before each test; call the result for its client. */
export function simulatorPerFile(): () => SimulatorClient {
  let running: Awaited<ReturnType<typeof startSimulator>> | undefined;
  beforeAll(async () => (running = await startSimulator()));
  afterAll(() => running?.close());
  beforeEach(() => running!.client.call('POST', '/_control/reset'));
  return () => running!.client;
}
