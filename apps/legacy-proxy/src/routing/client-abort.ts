/**
 * The client of one exchange closing its connection before its answer was written: the upstream
 * call in flight then is aborted, so a backend stops working (and a pooled socket is freed) for
 * nobody. One plain object per request; a call registers its abort while it runs.
 */
export class ClientGone {
  aborted = false;
  private abortCall: ((reason: Error) => void) | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortCall?.(new Error('the client closed the connection'));
  }

  /** The call now running: aborted at once if the client has already gone. */
  follow(abortCall: (reason: Error) => void): void {
    this.abortCall = abortCall;
    if (this.aborted) abortCall(new Error('the client closed the connection'));
  }

  /** A call has ended (another may have started since: api-with-fallback asks legacy while the API's 5xx body drains). */
  release(abortCall: (reason: Error) => void): void {
    if (this.abortCall === abortCall) this.abortCall = undefined;
  }
}
