import { Injectable } from '@nestjs/common';

/** Flips once when shutdown begins, so readiness fails before the server stops accepting. */
@Injectable()
export class ShutdownState {
  private startedAt: Date | null = null;

  begin(): void {
    this.startedAt ??= new Date();
  }

  get draining(): boolean {
    return this.startedAt !== null;
  }
}
