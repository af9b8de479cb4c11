import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticatedRequest, REQUIRED_ROLES } from './auth.decorators.js';
import { AuthenticationRequiredError, MissingRoleError } from './auth.errors.js';

/** `@Roles(...)`: the authenticated caller needs one of them; runs after JwtAuthGuard. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly required = new WeakMap<object, readonly string[]>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.requiredRoles(context);
    if (roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new AuthenticationRequiredError();
    if (!roles.some((role) => user.roles.includes(role))) throw new MissingRoleError(roles);
    return true;
  }

  private requiredRoles(context: ExecutionContext): readonly string[] {
    const handler = context.getHandler();
    let roles = this.required.get(handler);
    if (roles === undefined) {
      roles = this.reflector.getAllAndOverride<string[]>(REQUIRED_ROLES, [handler, context.getClass()]) ?? [];
      this.required.set(handler, roles);
    }
    return roles;
  }
}
