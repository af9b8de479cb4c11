import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { CallContext } from '#contracts';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user.js';

export const PUBLIC_ROUTE = 'ficus:public';
export const REQUIRED_ROLES = 'ficus:roles';
export const CART_TOKEN_HEADER = 'x-cart-token';

/** Opens a route (or a controller) to callers without an access token; everything else is closed. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Open to guests, like `@Public()`, but a Bearer token, when sent, is verified (401 if refused) and
 * identifies the caller: for routes guests and customers share (carts, checkout).
 */
export const OptionalAuth = () => SetMetadata(PUBLIC_ROUTE, 'optional');

/** The caller needs at least one of these roles (after authentication). */
export const Roles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

export function callContextOf(request: AuthenticatedRequest): CallContext {
  const cartToken = request.headers[CART_TOKEN_HEADER];
  return {
    userId: request.user?.userId ?? null,
    roles: request.user?.roles ?? [],
    cartToken: typeof cartToken === 'string' && cartToken !== '' ? cartToken : null,
    requestId: String(request.id),
    clientIp: request.ip,
  };
}

/** The use case's first argument: who calls, for which request. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): CallContext =>
  callContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
