import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

const SKIP_KEY = 'THROTTLER:SKIP';

/**
 * @nestjs/throttler's guard, with the `@SkipThrottle()` decision cached per handler: the stock
 * guard re-reads that metadata on every request, a measurable cost on probes and scrapes.
 */
@Injectable()
export class CachedSkipThrottlerGuard extends ThrottlerGuard {
  private readonly skipped = new WeakMap<object, boolean>();

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let skip = this.skipped.get(handler);
    if (skip === undefined) {
      const targets = [handler, context.getClass()];
      skip = this.throttlers.every((t) => this.reflector.getAllAndOverride<boolean>(SKIP_KEY + t.name, targets) === true);
      this.skipped.set(handler, skip);
    }
    return skip || super.shouldSkip(context);
  }
}
