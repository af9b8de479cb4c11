/**
 * Who is calling and on behalf of which request: the first argument of every use case. Plain JSON,
 * so it travels into jobs and over a transport unchanged.
 */
export interface CallContext {
  userId: string | null;
  roles: string[];
  cartToken: string | null;
  requestId: string;
}

export const anonymousContext = (requestId: string): CallContext => ({ userId: null, roles: [], cartToken: null, requestId });
