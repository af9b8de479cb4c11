import type { INestApplication, LoggerService } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from './shutdown-state.js';

export interface ShutdownTiming {
  /** Time to keep serving after readiness turns false, so load balancers stop sending traffic. */
  delayMs: number;
  /** Upper bound for in-flight requests and closing queues, Redis and the pool. */
  timeoutMs: number;
}

/**
 * Readiness false at once, then stop accepting, finish in-flight requests, close every resource
 * (Nest's shutdown hooks close queues, Redis, cache and the DB pool), all within the timeout.
 * Resolves true when everything closed in time.
 */
export async function shutDown(app: INestApplication, timing: ShutdownTiming): Promise<boolean> {
  app.get(ShutdownState).begin();
  if (timing.delayMs > 0) await sleep(timing.delayMs);
  // Keep-alive connections that finish their last response after close() began would otherwise
  // hold the server open until their idle timeout.
  const server = app.getHttpServer() as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  const reaper = setInterval(() => server.closeIdleConnections?.(), 50);
  const closed = app.close().then(() => true);
  const timedOut = sleep(timing.timeoutMs, false, { ref: false });
  const clean = await Promise.race([closed, timedOut]);
  clearInterval(reaper);
  // Past the bound, cut what is still open so the close can complete.
  if (!clean) server.closeAllConnections?.();
  return clean;
}

/** SIGTERM or SIGINT: shut down once and exit 0 (1 when the timeout cut it short). */
export function exitOnSignals(app: INestApplication, timing: ShutdownTiming, logger: LoggerService): void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    logger.log(`${signal} received: draining (delay ${timing.delayMs} ms, timeout ${timing.timeoutMs} ms)`, 'Shutdown');
    void shutDown(app, timing).then(
      (clean) => {
        logger.log(clean ? 'closed cleanly' : 'timeout reached, exiting with work still open', 'Shutdown');
        process.exit(clean ? 0 : 1);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`, undefined, 'Shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
