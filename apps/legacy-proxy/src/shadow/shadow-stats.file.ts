import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ShadowStats } from './shadow-stats.js';

const SAVE_EVERY_MS = 10_000;

/**
 * Keeps the shadow results across restarts in a JSON file next to the audit log: read at start,
 * written (temporary file, then rename) every ten seconds when something changed, and on close.
 * The promotion gate then still knows a route's last comparisons after a deploy.
 */
export class ShadowStatsFile {
  private timer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly stats: ShadowStats,
    private readonly logger?: Logger,
  ) {}

  load(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // the first run: nothing kept yet
    }
    try {
      this.stats.restore(JSON.parse(text));
    } catch (error) {
      this.logger?.warn({ err: error, file: this.file }, 'shadow results file unreadable: starting from zero');
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.save(), SAVE_EVERY_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.save();
  }

  save(): Promise<void> {
    if (!this.stats.dirty) return this.saving;
    const text = JSON.stringify(this.stats.snapshot());
    this.saving = this.saving.then(async () => {
      const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, text, 'utf8');
        await rename(temporary, this.file);
      } catch (error) {
        await rm(temporary, { force: true });
        this.logger?.warn({ err: error, file: this.file }, 'could not save the shadow results');
      }
    });
    return this.saving;
  }
}
