import { EventEmitter } from 'node:events';

/**
 * The abort signal of the upstream calls made for one client answer, fired when the client's
 * connection closes before that answer was written, so a backend stops working (and a pooled
 * socket is freed) for nobody. undici takes an EventEmitter with `aborted` and an `abort` event
 * as a signal; it costs a fraction of an AbortController, once per request.
 */
export class ClientGone extends EventEmitter {
  aborted = false;
  reason: Error | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new Error('the client closed the connection');
    this.emit('abort');
  }
}
