import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { RouteFileError, readRouteFile } from './route-file.js';
import type { RouteTable } from './route-table.js';

export interface RouteTableSnapshot {
  file: string;
  version: number;
  loadedAt: string;
  killSwitch: boolean;
  routes: RouteTable['routes'];
}

/**
 * The running route table. A request reads `current` once when it arrives, so swapping in a new
 * table (one reference assignment) never changes where an in-flight request goes.
 */
export class RouteTableHolder {
  private table: RouteTable;
  private text: string;
  private version = 1;
  private loadedAt = new Date();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading: Promise<void> = Promise.resolve();
  /** Called after a reload put a changed file in force (a hand edit, or another instance's admin change). */
  onReloaded?: (before: RouteTable, after: RouteTable, text: string) => Promise<void>;

  constructor(
    readonly file: string,
    initial: { table: RouteTable; text: string },
    public logger?: Logger,
  ) {
    this.table = initial.table;
    this.text = initial.text;
  }

  get current(): RouteTable {
    return this.table;
  }

  snapshot(): RouteTableSnapshot {
    return { file: this.file, version: this.version, loadedAt: this.loadedAt.toISOString(), killSwitch: this.table.killSwitch, routes: this.table.routes };
  }

  /**
   * Runs a change of the file (the admin API's) in turn with reloads, so that a reload which read
   * the file before the change can never put the older table back after it.
   */
  serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.reloading.then(task);
    this.reloading = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Puts a table in force at once: the one just written to the file (the watcher's reload then finds nothing new). */
  replace(table: RouteTable, text: string): void {
    this.table = table;
    this.text = text;
    this.version += 1;
    this.loadedAt = new Date();
    this.logger?.info({ file: this.file, version: this.version, routes: table.routes.length }, `route table changed through the admin API (version ${this.version})`);
  }

  /** Re-reads the file; a valid change replaces the table, an invalid one is logged and ignored. */
  reload(): Promise<void> {
    // Serialised, so two quick saves never apply out of order.
    this.reloading = this.reloading.then(() => this.reloadNow());
    return this.reloading;
  }

  /**
   * Reloads when the file changes. Watches the folder, not the file: editors and config-map
   * updates replace the file by renaming, which ends a watch on the file itself.
   */
  watch(debounceMs: number): void {
    const name = basename(this.file);
    this.watcher = watch(dirname(this.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), debounceMs);
    });
    this.watcher.on('error', (error) => this.logger?.error({ err: error, file: this.file }, 'route file watch failed; hot reload is off'));
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  private async reloadNow(): Promise<void> {
    try {
      const next = await readRouteFile(this.file);
      if (next.text === this.text) return;
      const before = this.table;
      this.table = next.table;
      this.text = next.text;
      this.version += 1;
      this.loadedAt = new Date();
      this.logger?.info({ file: this.file, version: this.version, routes: next.table.routes.length }, `route table reloaded from ${this.file}`);
      await this.onReloaded?.(before, next.table, next.text).catch((error: unknown) => this.logger?.error({ err: error }, 'route file change not audited'));
    } catch (error) {
      const problems = error instanceof RouteFileError ? error.problems : [(error as Error).message];
      this.logger?.warn(
        { file: this.file, problems, version: this.version },
        `route file change rejected, keeping route table version ${this.version}: ${problems.join('; ')}`,
      );
    }
  }
}
