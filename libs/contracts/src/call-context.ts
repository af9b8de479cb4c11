/**
 * Who is calling and on behalf of which request: the first argument of every use case. Plain JSON,
 * so it travels into jobs and over a transport unchanged.
 */
export interface CallContext {
  userId: string | null;
  roles: string[];
  cartToken: string | null;
  requestId: string;
  /** The client's address as the edge saw it (behind TRUST_PROXY, from X-Forwarded-For); for per-IP limits. */
  clientIp?: string;
}

export const anonymousContext = (requestId: string): CallContext => ({ userId: null, roles: [], cartToken: null, requestId });

/** For work no request started (CLI commands, scheduled jobs). */
export const systemContext = (requestId: string, roles: string[] = ['system']): CallContext => ({
  userId: null,
  roles,
  cartToken: null,
  requestId,
});
