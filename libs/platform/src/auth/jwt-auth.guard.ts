import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AccessRevocations } from './access-revocations.js';
import type { AuthUser } from './auth-user.js';
import { AccessRevokedError, AuthenticationRequiredError, InvalidAccessTokenError } from './auth.errors.js';
import { type AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators.js';
import { JWT_STRATEGY } from './jwt.strategy.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

type Access = 'closed' | 'public' | 'optional';

/** Every route needs a valid access token unless it is marked `@Public()` (or `@OptionalAuth()`: checked only when sent). */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly access = new WeakMap<object, Access>();
  private readonly verified = new VerifiedTokenCache();

  constructor(
    private readonly reflector: Reflector,
    private readonly revocations: AccessRevocations,
  ) {
    super();
  }

  // Synchronous where it can be (public routes, remembered tokens): Nest awaits only a promise.
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access = this.accessOf(context);
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (access === 'optional' && header === undefined) return true;
    const known = header === undefined ? undefined : this.verified.get(header);
    if (known) {
      request.user = known;
      return this.stillEntitled(known);
    }
    return this.verify(context, request, header);
  }

  private async verify(context: ExecutionContext, request: AuthenticatedRequest, header: string | undefined): Promise<boolean> {
    const allowed = (await super.canActivate(context)) as boolean;
    if (allowed && header !== undefined && request.user) this.verified.set(header, request.user);
    return allowed && request.user ? this.stillEntitled(request.user) : allowed;
  }

  /** A valid token of an account disabled since, or claiming a role removed since, is refused. */
  private stillEntitled(user: AuthUser): boolean | Promise<boolean> {
    const refused = this.revocations.refuses(user);
    if (refused === false) return true;
    if (refused === true) throw new AccessRevokedError();
    return refused.then((isRefused) => {
      if (isRefused) throw new AccessRevokedError();
      return true;
    });
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (user) return user;
    if (error) throw error instanceof Error && 'kind' in error ? error : new InvalidAccessTokenError(describe(error));
    if (info instanceof Error && info.message === 'No auth token') throw new AuthenticationRequiredError();
    throw new InvalidAccessTokenError(describe(info));
  }

  private accessOf(context: ExecutionContext): Access {
    const handler = context.getHandler();
    let access = this.access.get(handler);
    if (access === undefined) {
      const marked = this.reflector.getAllAndOverride<boolean | 'optional'>(PUBLIC_ROUTE, [handler, context.getClass()]);
      access = marked === true ? 'public' : marked === 'optional' ? 'optional' : 'closed';
      this.access.set(handler, access);
    }
    return access;
  }
}

function describe(info: unknown): string {
  if (info instanceof Error) return info.message;
  return 'its claims are incomplete';
}
