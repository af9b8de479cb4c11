// The reference point for `npm run bench:baseline`: bare Fastify 5, no plugins, no hooks, logger off,
// answering the same route and body as the API's liveness probe. Started as its own process by
// bench/baseline.ts, which waits for `listening` on stdout.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 3001);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`bare-fastify: invalid PORT ${String(process.env.PORT)}\n`);
  process.exit(1);
}

const app = Fastify({ logger: false });

app.get('/health/live', async () => ({ status: 'ok' }));

async function close(): Promise<void> {
  await app.close();
  process.exit(0);
}
process.once('SIGTERM', () => void close());
process.once('SIGINT', () => void close());

try {
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write('listening\n');
} catch (error: unknown) {
  process.stderr.write(`bare-fastify failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
